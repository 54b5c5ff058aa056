/**
 * Gives every resource of a synthesized template a deterministic local physical name and ARN,
 * the way CloudFormation would on deploy: the explicit name property when the template sets
 * one, otherwise a name derived from the logical id. The local runtime bootstraps its emulators
 * (buckets, functions, topics, feature groups ...) from this map.
 */
import { createHash } from 'node:crypto';
import { resolveIntrinsics, TemplateResolutionError, type IntrinsicContext } from './intrinsics.js';
import { LOCAL_ACCOUNT, LOCAL_PARTITION, LOCAL_REGION, LOCAL_STACK_NAME, LOCAL_URL_SUFFIX } from './local-environment.js';

export interface LocalResource {
  /** CloudFormation type, e.g. `AWS::S3::Bucket`. */
  type: string;
  /** Physical name (bucket name, function name, ...). */
  name: string;
  arn: string;
  /** The resource's Properties with intrinsics resolved to local names. */
  properties: Record<string, unknown>;
}

/** Local resources by logical id. */
export type LocalNames = Map<string, LocalResource>;

export interface CloudFormationTemplate {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Parameters?: Record<string, unknown>;
}

/** Property holding an explicit physical name, per resource type (path inside Properties). */
const NAME_PROPERTY: Record<string, string[]> = {
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::StepFunctions::StateMachine': ['StateMachineName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::SageMaker::FeatureGroup': ['FeatureGroupName'],
  'AWS::SageMaker::ModelPackageGroup': ['ModelPackageGroupName'],
  'AWS::Glue::Job': ['Name'],
  'AWS::Glue::SecurityConfiguration': ['Name'],
  'AWS::Glue::Database': ['DatabaseInput', 'Name'],
  'AWS::Glue::Table': ['TableInput', 'Name'],
  'AWS::Athena::WorkGroup': ['Name'],
  'AWS::Events::Rule': ['Name'],
  'AWS::ApiGateway::RestApi': ['Name'],
};

/** Types whose `Ref` is the ARN rather than the name. */
const REF_IS_ARN = new Set(['AWS::SNS::Topic', 'AWS::StepFunctions::StateMachine', 'AWS::SageMaker::ModelPackageGroup', 'AWS::SageMaker::ModelPackage']);

export function localResourceNames(template: object, options: { stackName?: string } = {}): LocalNames {
  const resources = (template as CloudFormationTemplate).Resources ?? {};
  const names = new Map<string, string>();
  const inProgress = new Set<string>();

  const nameOf = (logicalId: string): string | undefined => {
    const cached = names.get(logicalId);
    if (cached !== undefined) return cached;
    const resource = resources[logicalId];
    if (!resource) return undefined;
    if (inProgress.has(logicalId)) throw new TemplateResolutionError(`The name of ${logicalId} refers to itself`);
    inProgress.add(logicalId);
    const name = physicalName(logicalId, resource, context);
    inProgress.delete(logicalId);
    names.set(logicalId, name);
    return name;
  };

  const context: IntrinsicContext = {
    ref: (logicalId) => {
      const type = resources[logicalId]?.Type;
      const name = nameOf(logicalId);
      if (type === undefined || name === undefined) return undefined;
      return refValue(type, logicalId, name);
    },
    getAtt: (logicalId, attribute) => {
      const type = resources[logicalId]?.Type;
      const name = nameOf(logicalId);
      if (type === undefined || name === undefined) return undefined;
      return attributeValue(type, logicalId, name, attribute);
    },
    parameters: (template as CloudFormationTemplate).Parameters ?? {},
    stackName: options.stackName ?? LOCAL_STACK_NAME,
    lenientAttributes: true,
  };

  const out: LocalNames = new Map();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const name = nameOf(logicalId)!;
    out.set(logicalId, {
      type: resource.Type,
      name,
      arn: localArn(resource.Type, logicalId, name),
      properties: (resolveIntrinsics(resource.Properties ?? {}, context, `${logicalId}.Properties`) ?? {}) as Record<string, unknown>,
    });
  }
  return out;
}

/** The intrinsic context strict resolution (a state machine definition) uses over a names map. */
export function namesContext(names: LocalNames, template: object, stackName = LOCAL_STACK_NAME): IntrinsicContext {
  return {
    ref: (logicalId) => {
      const resource = names.get(logicalId);
      return resource && refValue(resource.type, logicalId, resource.name);
    },
    getAtt: (logicalId, attribute) => {
      const resource = names.get(logicalId);
      return resource && attributeValue(resource.type, logicalId, resource.name, attribute);
    },
    parameters: (template as CloudFormationTemplate).Parameters ?? {},
    stackName,
  };
}

function physicalName(logicalId: string, resource: { Type: string; Properties?: Record<string, unknown> }, context: IntrinsicContext): string {
  let explicit: unknown = resource.Properties;
  for (const key of NAME_PROPERTY[resource.Type] ?? ['Name']) {
    explicit = explicit !== null && typeof explicit === 'object' ? (explicit as Record<string, unknown>)[key] : undefined;
  }
  const known = NAME_PROPERTY[resource.Type] !== undefined;
  if (explicit !== undefined && (known || typeof explicit === 'string')) {
    const resolved = resolveIntrinsics(explicit, { ...context, lenientAttributes: false }, `${logicalId}.Properties`);
    if (typeof resolved !== 'string') {
      throw new TemplateResolutionError(`${logicalId}: the name property resolved to ${JSON.stringify(resolved)}, expected a string`);
    }
    return resolved;
  }
  const lower = logicalId.toLowerCase();
  if (resource.Type === 'AWS::S3::Bucket') return s3BucketName(lower);
  if (resource.Type === 'AWS::SQS::Queue' && (resource.Properties?.FifoQueue === true)) return `${lower}.fifo`;
  return lower;
}

/** Bucket names: 3-63 chars of `[a-z0-9-]`, starting and ending with a letter or digit. */
function s3BucketName(lower: string): string {
  const cleaned = lower.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const padded = cleaned.length < 3 ? `${cleaned}-bucket` : cleaned;
  return padded.length <= 63 ? padded : `${padded.slice(0, 54)}-${shortHash(lower)}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** A stable UUID-shaped id (KMS key ids, REST API ids ...). */
function stableId(logicalId: string): string {
  const hex = createHash('sha256').update(logicalId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function arnPrefix(service: string, regional = true): string {
  return `arn:${LOCAL_PARTITION}:${service}:${regional ? LOCAL_REGION : ''}:${LOCAL_ACCOUNT}`;
}

export function localArn(type: string, logicalId: string, name: string): string {
  switch (type) {
    case 'AWS::S3::Bucket':
      return `arn:${LOCAL_PARTITION}:s3:::${name}`;
    case 'AWS::Lambda::Function':
      return `${arnPrefix('lambda')}:function:${name}`;
    case 'AWS::SNS::Topic':
      return `${arnPrefix('sns')}:${name}`;
    case 'AWS::SQS::Queue':
      return `${arnPrefix('sqs')}:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `${arnPrefix('states')}:stateMachine:${name}`;
    case 'AWS::KMS::Key':
      return `${arnPrefix('kms')}:key/${stableId(logicalId)}`;
    case 'AWS::IAM::Role':
      return `${arnPrefix('iam', false)}:role/${name}`;
    case 'AWS::IAM::ManagedPolicy':
      return `${arnPrefix('iam', false)}:policy/${name}`;
    case 'AWS::Logs::LogGroup':
      return `${arnPrefix('logs')}:log-group:${name}:*`;
    case 'AWS::CloudWatch::Alarm':
      return `${arnPrefix('cloudwatch')}:alarm:${name}`;
    case 'AWS::DynamoDB::Table':
      return `${arnPrefix('dynamodb')}:table/${name}`;
    case 'AWS::SageMaker::FeatureGroup':
      return `${arnPrefix('sagemaker')}:feature-group/${name.toLowerCase()}`;
    case 'AWS::SageMaker::ModelPackageGroup':
      return `${arnPrefix('sagemaker')}:model-package-group/${name.toLowerCase()}`;
    case 'AWS::Glue::Job':
      return `${arnPrefix('glue')}:job/${name}`;
    case 'AWS::Glue::Database':
      return `${arnPrefix('glue')}:database/${name}`;
    case 'AWS::Glue::Table':
      return `${arnPrefix('glue')}:table/${name}`;
    case 'AWS::Athena::WorkGroup':
      return `${arnPrefix('athena')}:workgroup/${name}`;
    case 'AWS::Events::Rule':
      return `${arnPrefix('events')}:rule/${name}`;
    case 'AWS::ApiGateway::RestApi':
      return `arn:${LOCAL_PARTITION}:apigateway:${LOCAL_REGION}::/restapis/${restApiId(logicalId)}`;
    default: {
      const [, service = 'unknown', kind = 'resource'] = type.split('::');
      return `${arnPrefix(service.toLowerCase())}:${kind.toLowerCase()}/${name}`;
    }
  }
}

function restApiId(logicalId: string): string {
  return shortHash(logicalId).slice(0, 10);
}

/** What `Ref` returns for each type (CloudFormation's documented return values). */
function refValue(type: string, logicalId: string, name: string): string {
  if (REF_IS_ARN.has(type)) return localArn(type, logicalId, name);
  if (type === 'AWS::SQS::Queue') return `https://sqs.${LOCAL_REGION}.${LOCAL_URL_SUFFIX}/${LOCAL_ACCOUNT}/${name}`;
  if (type === 'AWS::KMS::Key') return stableId(logicalId);
  if (type === 'AWS::ApiGateway::RestApi') return restApiId(logicalId);
  return name;
}

function attributeValue(type: string, logicalId: string, name: string, attribute: string): string | undefined {
  const arn = localArn(type, logicalId, name);
  if (type === 'AWS::S3::Bucket') {
    if (attribute === 'DomainName') return `${name}.s3.${LOCAL_URL_SUFFIX}`;
    if (attribute === 'RegionalDomainName') return `${name}.s3.${LOCAL_REGION}.${LOCAL_URL_SUFFIX}`;
    if (attribute === 'WebsiteURL') return `http://${name}.s3-website-${LOCAL_REGION}.${LOCAL_URL_SUFFIX}`;
  }
  if (type === 'AWS::SQS::Queue' && attribute === 'QueueUrl') return refValue(type, logicalId, name);
  if (type === 'AWS::KMS::Key' && attribute === 'KeyId') return stableId(logicalId);
  if (type === 'AWS::ApiGateway::RestApi' && attribute === 'RootResourceId') return shortHash(`${logicalId}/root`).slice(0, 10);
  if (type === 'AWS::Logs::LogGroup' && attribute === 'Arn') return arn;
  if (attribute === 'Arn' || attribute.endsWith('Arn')) return arn;
  if (attribute === 'Name' || attribute.endsWith('Name')) return name;
  if (attribute.endsWith('Id')) return refValue(type, logicalId, name);
  return undefined;
}
