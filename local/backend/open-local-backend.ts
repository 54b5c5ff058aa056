/**
 * The one door to the local backend. `openLocalBackend` registers every local emulator on a state
 * directory in one LocalAws (the AWS APIs the twin speaks) and, given a synthesized pipeline,
 * creates the template's resources through those APIs (buckets, feature groups, model package
 * group, topics, tables, Lambda functions, Glue jobs and catalog tables) and routes the task
 * Lambdas' SDK clients to it. Commands then ask the emulators (List/Describe/Get), never their
 * folders. Without a pipeline it opens what the state directory already holds (`serve`, `models`).
 *
 * Resources are created only if missing, so opening twice on one state directory changes nothing.
 */
import { ApplicationAutoScalingEmulator } from '../aws/application-autoscaling.js';
import { AwsServiceError, type AwsServiceEmulator } from '../aws/emulator.js';
import { AthenaEmulator } from '../aws/athena.js';
import { CloudWatchEmulator } from '../aws/cloudwatch.js';
import { GlueEmulator } from '../aws/glue.js';
import { DynamoDbEmulator } from '../aws/dynamodb.js';
import { EksEmulator } from '../aws/eks.js';
import { createFeatureStore, type LocalFeatureStore } from '../aws/feature-store/index.js';
import { LambdaEmulator, type LambdaEmulatorOptions } from '../aws/lambda.js';
import { LocalAws } from '../aws/registry.js';
import { S3Emulator } from '../aws/s3.js';
import { createSageMakerEmulators } from '../aws/sagemaker/index.js';
import { installSdkRouting, uninstallSdkRouting } from '../aws/sdk-routing.js';
import { SnsEmulator } from '../aws/sns.js';
import { withStateLock } from '../state/lock.js';
import { writeLocalResources } from '../serving/local-resources.js';
import type { LocalResource } from '../template/index.js';
import type { PipelineDefinition } from './pipeline-definition.js';

/** A template resource with its local name (local/template's LocalResource). */
export type BootstrapResource = LocalResource;

export interface EksSeed {
  clusterName: string;
  namespace: string;
  deploymentName: string;
  /** Container image of the seeded deployment. @default 'pricesense-xgboost-serving:local' */
  image?: string;
}

export interface OpenBackendOptions {
  stateDir: string;
  /**
   * The synthesized pipeline whose resources to create (`loadPipelineDefinition`; only its
   * `names` are read). Without it nothing is created: the emulators serve what the state
   * directory holds.
   */
  pipeline?: Pick<PipelineDefinition, 'names'>;
  /** Seeds the Deployment the EKS rollout patches (an imported cluster has no manifest in the template). */
  eks?: EksSeed;
  /** @default 500 */
  eksRolloutDelayMs?: number;
  lambda?: LambdaEmulatorOptions;
  /** Called for each resource that could not be created locally (e.g. an emulator not there yet). */
  onWarning?: (message: string) => void;
  /** Route `createAwsClient` clients (the task Lambdas') to this backend. @default true */
  routeSdkClients?: boolean;
}

/**
 * Emulators whose local-only operations have no AWS API (registering an in-process Lambda
 * handler, seeding an EKS Deployment, creating a bucket without a request): for the runner and
 * tests, never for reading state a command reports.
 */
export interface LocalAwsHandles {
  s3: S3Emulator;
  lambda: LambdaEmulator;
  featureStore: LocalFeatureStore;
  eks: EksEmulator;
  sns: SnsEmulator;
  dynamodb: DynamoDbEmulator;
}

export interface LocalBackend {
  stateDir: string;
  /** Every local emulator, called by service and action with AWS's request and response shapes. */
  aws: LocalAws;
  handles: LocalAwsHandles;
  /** Stops routing SDK clients to this backend (when it routed them). */
  close(): Promise<void>;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out[key] = typeof item === 'string' ? item : JSON.stringify(item);
  }
  return out;
}

/** True when `describe` finds the resource, false on the service's not-found error. */
async function exists(describe: () => Promise<unknown>): Promise<boolean> {
  try {
    await describe();
    return true;
  } catch (error) {
    if (error instanceof AwsServiceError && /NotFound|EntityNotFound|does not exist/i.test(`${error.name} ${error.message}`)) return false;
    throw error;
  }
}

export async function openLocalBackend(options: OpenBackendOptions): Promise<LocalBackend> {
  const { stateDir } = options;
  const warn = options.onWarning ?? (() => undefined);
  const localAws = new LocalAws();
  const s3 = new S3Emulator(stateDir);
  const featureStore = createFeatureStore(stateDir);
  const lambda = new LambdaEmulator(options.lambda);
  const sns = new SnsEmulator(stateDir);
  const dynamodb = new DynamoDbEmulator(stateDir);
  const eks = new EksEmulator(stateDir, options.eksRolloutDelayMs === undefined ? {} : { rolloutDelayMs: options.eksRolloutDelayMs });
  localAws.register(s3).register(featureStore.groups).register(featureStore.runtime).register(lambda).register(sns).register(dynamodb);
  localAws.register(new CloudWatchEmulator(stateDir)).register(eks);
  for (const emulator of createSageMakerEmulators({ stateDir })) localAws.register(emulator);
  // Endpoint autoscaling: a target is accepted only for an InService endpoint's existing variant, as on AWS.
  localAws.register(
    new ApplicationAutoScalingEmulator({
      stateDir,
      variantExists: async (endpointName, variantName) => {
        const endpoint = await localAws.call('sagemaker', 'DescribeEndpoint', { EndpointName: endpointName }).catch(() => undefined);
        const variants = (endpoint?.ProductionVariants ?? []) as Array<{ VariantName?: string }>;
        return endpoint?.EndpointStatus === 'InService' && variants.some((variant) => variant.VariantName === variantName);
      },
    }),
  );
  localAws.register(new GlueEmulator({ stateDir })).register(new AthenaEmulator({ stateDir }));
  const handles: LocalAwsHandles = { s3, lambda, featureStore, eks, sns, dynamodb };
  const routed = options.routeSdkClients !== false;
  const backend: LocalBackend = {
    stateDir,
    aws: localAws,
    handles,
    close: async () => {
      if (routed) uninstallSdkRouting();
      await featureStore.close();
    },
  };
  if (!options.pipeline) {
    if (routed) installSdkRouting(localAws);
    return backend;
  }
  const names = options.pipeline.names;

  // One bootstrap at a time per state directory: two commands starting together create each resource once.
  await withStateLock(stateDir, 'bootstrap', async () => {
    const resources = [...names.values()];
    const ofType = (...types: string[]) => resources.filter((r) => types.includes(r.type));

    for (const bucket of ofType('AWS::S3::Bucket')) await s3.ensureBucket(bucket.name);

    for (const topic of ofType('AWS::SNS::Topic')) {
      const listed = (await sns.call('ListTopics', {})).Topics as Array<{ TopicArn: string }>;
      if (!listed.some((t) => t.TopicArn === topic.arn)) await sns.createTopic(topic.name);
    }

    for (const table of ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')) {
      if (await dynamodb.tableExists(table.name)) continue;
      await dynamodb.createTable({
        TableName: table.name,
        KeySchema: table.properties.KeySchema,
        AttributeDefinitions: table.properties.AttributeDefinitions,
        BillingMode: table.properties.BillingMode ?? 'PROVISIONED',
      });
    }

    for (const group of ofType('AWS::SageMaker::FeatureGroup')) {
      if (await exists(() => localAws.call('sagemaker', 'DescribeFeatureGroup', { FeatureGroupName: group.name }))) continue;
      await localAws.call('sagemaker', 'CreateFeatureGroup', { ...group.properties, FeatureGroupName: group.name });
    }

    for (const packageGroup of ofType('AWS::SageMaker::ModelPackageGroup')) {
      if (await exists(() => localAws.call('sagemaker', 'DescribeModelPackageGroup', { ModelPackageGroupName: packageGroup.name }))) continue;
      const { Tags: _tags, ModelPackageGroupPolicy: _policy, ...input } = packageGroup.properties;
      await localAws.call('sagemaker', 'CreateModelPackageGroup', { ...input, ModelPackageGroupName: packageGroup.name });
    }

    await createGlueResources(localAws, ofType('AWS::Glue::Database'), ofType('AWS::Glue::Job'), ofType('AWS::Glue::Table'), warn);

    // What `pricesense serve` on this state directory serves and records to.
    await writeLocalResources(stateDir, resources);

    if (options.eks) {
      await eks.applyDeployment(options.eks.clusterName, {
        metadata: { name: options.eks.deploymentName, namespace: options.eks.namespace, labels: { app: options.eks.deploymentName } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: options.eks.deploymentName } },
          template: {
            metadata: { labels: { app: options.eks.deploymentName } },
            spec: { containers: [{ name: 'model', image: options.eks.image ?? 'pricesense-xgboost-serving:local', ports: [{ containerPort: 8080 }] }] },
          },
        },
      });
    }
  });

  // Functions live in memory: registered on every bootstrap.
  for (const fn of ofTypeAll(names, 'AWS::Lambda::Function')) {
    const environment = stringRecord((fn.properties.Environment as { Variables?: unknown } | undefined)?.Variables);
    const serviceName = environment.POWERTOOLS_SERVICE_NAME;
    // CDK's own helper functions (custom resource providers) have no task handler.
    if (serviceName === undefined) continue;
    const registered: Parameters<LambdaEmulator['registerFunction']>[0] = { name: fn.name, arn: fn.arn, serviceName, environment };
    if (typeof fn.properties.Timeout === 'number') registered.timeoutSeconds = fn.properties.Timeout;
    if (typeof fn.properties.MemorySize === 'number') registered.memoryMb = fn.properties.MemorySize;
    lambda.registerFunction(registered);
  }

  if (routed) installSdkRouting(localAws);
  return backend;
}

function ofTypeAll(names: ReadonlyMap<string, BootstrapResource>, type: string): BootstrapResource[] {
  return [...names.values()].filter((r) => r.type === type);
}

/**
 * Glue jobs, databases and catalog tables go through the Glue API (CreateDatabase, CreateJob,
 * CreateTable: the CloudFormation properties are those requests), so the Glue and Athena
 * emulators own how they store them.
 */
async function createGlueResources(
  localAws: LocalAws,
  databases: BootstrapResource[],
  jobs: BootstrapResource[],
  tables: BootstrapResource[],
  warn: (message: string) => void,
): Promise<void> {
  const supported = (action: string, what: BootstrapResource[]): boolean => {
    if (what.length === 0 || localAws.implements('glue', action)) return true;
    warn(`No local glue:${action}; not created: ${what.map((r) => r.name).join(', ')}`);
    return false;
  };
  if (supported('CreateDatabase', databases)) {
    for (const database of databases) {
      const input = database.properties.DatabaseInput as Record<string, unknown>;
      if (localAws.implements('glue', 'GetDatabase') && (await exists(() => localAws.call('glue', 'GetDatabase', { Name: database.name })))) continue;
      await localAws.call('glue', 'CreateDatabase', { DatabaseInput: { ...input, Name: database.name } }).catch(ignoreAlreadyExists);
    }
  }
  if (supported('CreateJob', jobs)) {
    for (const job of jobs) {
      if (localAws.implements('glue', 'GetJob') && (await exists(() => localAws.call('glue', 'GetJob', { JobName: job.name })))) continue;
      const { Tags: _tags, ...input } = job.properties;
      await localAws.call('glue', 'CreateJob', { ...input, Name: job.name }).catch(ignoreAlreadyExists);
    }
  }
  if (supported('CreateTable', tables)) {
    for (const table of tables) {
      const databaseName = String(table.properties.DatabaseName);
      const tableInput = { ...(table.properties.TableInput as Record<string, unknown>), Name: table.name };
      if (localAws.implements('glue', 'GetTable') && (await exists(() => localAws.call('glue', 'GetTable', { DatabaseName: databaseName, Name: table.name })))) continue;
      await localAws.call('glue', 'CreateTable', { DatabaseName: databaseName, TableInput: tableInput }).catch(ignoreAlreadyExists);
    }
  }
}

function ignoreAlreadyExists(error: unknown): void {
  if (error instanceof AwsServiceError && error.name === 'AlreadyExistsException') return;
  throw error;
}
