/**
 * The one typed configuration of the pipeline. Every tunable of the state machine comes from
 * here: the CDK app embeds it into the definition at synth time, and `pricesense run` passes
 * overrides (for example `--deploy-target`) through the same object.
 */

import { DEFAULT_TUNING_CONFIG, tuningProblems, type TuningConfig } from './tuning-config.js';

export const DeployTarget = { Endpoint: 'endpoint', Eks: 'eks', None: 'none' } as const;
export type DeployTarget = (typeof DeployTarget)[keyof typeof DeployTarget];

export const ApprovalMode = { Auto: 'auto', Manual: 'manual' } as const;
export type ApprovalMode = (typeof ApprovalMode)[keyof typeof ApprovalMode];

export interface MetricThresholds {
  /** Minimum test-split accuracy. @default 0.75 */
  accuracy: number;
  /** Minimum macro-averaged F1 over LA, MM, UM. @default 0.70 */
  macroF1: number;
  /** Minimum precision of every class. @default 0.65 */
  classPrecision: number;
}

/** SageMaker built-in XGBoost 1.7 hyperparameters (sent as strings). */
export interface XgboostHyperparameters {
  /** @default 'multi:softprob' - class probabilities, which /predict returns */
  objective: 'multi:softprob';
  /** @default 3 - LA, MM, UM */
  num_class: number;
  /** Round cap; early stopping on validation decides the rounds actually used. @default 1000 */
  num_round: number;
  /** @default 6 */
  max_depth: number;
  /** @default 0.15 */
  eta: number;
  /** @default 0.9 */
  subsample: number;
  /** @default 0.8 */
  colsample_bytree: number;
  /** @default 1 */
  min_child_weight: number;
  /** @default 'mlogloss' */
  eval_metric: 'mlogloss' | 'merror';
  /** @default 20 - stop when validation mlogloss has not improved for this many rounds */
  early_stopping_rounds: number;
  /** @default 'hist' */
  tree_method: 'hist' | 'exact' | 'approx';
}

export interface TrainingConfig {
  /** Instance type for training, with the `ml.` prefix. @default 'ml.m5.xlarge' */
  instanceType: string;
  /** @default 1 */
  instanceCount: number;
  /** @default 30 */
  volumeSizeGb: number;
  /** @default 3600 */
  maxRuntimeSeconds: number;
  /** Managed spot training (with checkpoints). @default true */
  useSpot: boolean;
  /** Must exceed maxRuntimeSeconds when useSpot is on. @default 7200 */
  maxWaitSeconds: number;
  hyperparameters: XgboostHyperparameters;
  /** Automatic model tuning in place of one training job (workflow/tuning-config.ts). @default off */
  tuning: TuningConfig;
}

export interface EndpointConfig {
  /** @default 'ml.m5.large' */
  instanceType: string;
  /** @default 1 */
  initialInstanceCount: number;
  /** Autoscaling range of the production variant. @default 1 */
  minInstances: number;
  /** @default 4 */
  maxInstances: number;
  /** Invocations per instance per minute that autoscaling targets. @default 6000 */
  targetInvocationsPerInstance: number;
  /** Seconds after a scale-in before the next one (Application Auto Scaling ScaleInCooldown). @default 300 */
  scaleInCooldownSeconds: number;
  /** Seconds after a scale-out before the next one. @default 60 */
  scaleOutCooldownSeconds: number;
  /**
   * Serverless inference instead of instances: the endpoint config gets ServerlessConfig in place
   * of instance type and count, and no autoscaling step runs (SageMaker scales serverless
   * endpoints itself). Serverless endpoints do not support network isolation, so the serving
   * model is created without it. @default undefined - instance-backed endpoint with autoscaling
   */
  serverless?: ServerlessEndpointConfig;
  /** Blue/green: minutes to watch the alarms before the old fleet is terminated. @default 10 */
  terminationWaitMinutes: number;
  /** How often the workflow polls the endpoint status. @default 30 */
  pollSeconds: number;
  /** Status polls before the rollout counts as failed (bounds the wait loop). @default 120 */
  maxPolls: number;
}

export interface ServerlessEndpointConfig {
  /** 1024, 2048, 3072, 4096, 5120 or 6144 (SageMaker ProductionVariantServerlessConfig.MemorySizeInMB). */
  memorySizeInMb: number;
  /** Concurrent invocations the endpoint processes, 1-200. */
  maxConcurrency: number;
}

/** Memory sizes SageMaker serverless inference accepts. */
export const SERVERLESS_MEMORY_SIZES_MB = [1024, 2048, 3072, 4096, 5120, 6144] as const;
export const SERVERLESS_MAX_CONCURRENCY = 200;

export interface EksConfig {
  /** Name of an existing cluster; the EKS rollout needs it. @default '' (no cluster) */
  clusterName: string;
  /** @default 'pricesense' */
  namespace: string;
  /** @default 'pricesense-serving' */
  deploymentName: string;
  /** How often the workflow polls the rollout. @default 15 */
  pollSeconds: number;
  /** Rollout polls before the rollout counts as failed. @default 40 */
  maxPolls: number;
  /**
   * API server endpoint and base64 CA of the existing cluster: the `eks:call` integration needs
   * both in the definition (`aws eks describe-cluster --name <cluster>` prints them). @default ''
   */
  endpoint: string;
  certificateAuthorityData: string;
  /**
   * OIDC issuer of the cluster without `https://` (`aws eks describe-cluster --query
   * cluster.identity.oidc.issuer`); when set, the stack creates the serving pods' IRSA role.
   * The cluster's IAM OIDC provider must exist (`eksctl utils associate-iam-oidc-provider`). @default ''
   */
  oidcIssuer: string;
}

export interface GlueConfig {
  /** @default 'G.1X' */
  workerType: 'G.1X' | 'G.2X' | 'G.4X' | 'G.025X';
  /** @default 4 */
  numberOfWorkers: number;
  /** @default '4.0' */
  glueVersion: '4.0' | '5.0';
  /** Job timeout in minutes. @default 60 */
  timeoutMinutes: number;
}

export interface ValidationConfig {
  /** Largest raw object accepted. @default 5 GiB */
  maxObjectBytes: number;
  /** Rows parsed from the head of the file to check it. @default 1000 */
  sampleRows: number;
}

export interface DataQualityConfig {
  /** Fewer labelled baskets than this fails the run. @default 1000 */
  minBaskets: number;
  /** Every class must hold at least this share of labelled baskets. @default 0.05 */
  minClassShare: number;
  /** Largest share of XX-labelled baskets. @default 0.5 */
  maxUnclassifiedShare: number;
  /** Largest null rate of any feature column. @default 0.01 */
  maxNullRate: number;
  /**
   * Largest share of raw rows rejected in silver (invalid values, lines of inconsistent
   * baskets; exact duplicates do not count), rule max_rejected_share. @default 0.01
   */
  maxRejectedShare: number;
}

export interface IngestionConfig {
  /** PutRecord calls in flight per Lambda. @default 16 */
  concurrency: number;
  /** Attempts per record on throttling before it is reported failed. @default 5 */
  maxAttempts: number;
  /** Distributed Map children running at once. @default 10 */
  maxConcurrentFiles: number;
  /** Feature files per Distributed Map child (ItemBatcher MaxItemsPerBatch). @default 1 */
  filesPerBatch: number;
}

/** GitHub Actions deployment (infra/cicd, .github/workflows/ci-cd.yml). */
export interface CicdConfig {
  /**
   * `owner/name` of the GitHub repository that deploys this app. When set, the app adds the
   * `PricesenseGitHubOidc` stack (OIDC provider + deploy role) and the smoke-test role.
   * @default '' - no CI/CD resources
   */
  githubRepository: string;
  /** GitHub environment of the deploy job; the roles trust only its OIDC subject. @default 'production' */
  environment: string;
  /** ARN of an existing GitHub OIDC provider in the account (one per account). @default '' - the stack creates it */
  existingOidcProviderArn: string;
  /** Qualifier of the CDK bootstrap roles the deploy role may assume. @default 'hnb659fds' */
  bootstrapQualifier: string;
}

/** Optional CloudTrail trail (infra/audit). */
export interface AuditConfig {
  /** Create the trail. Off when an organization trail already records this account. @default false */
  enabled: boolean;
  /** Days the trail's log files are kept in its bucket. @default 365 */
  retentionDays: number;
}

/** Optional private networking (infra/network). */
export interface NetworkConfig {
  /** VPC with private subnets and endpoints for SageMaker, the task Lambdas and Glue. @default false */
  enabled: boolean;
  /** Availability zones of the VPC (each adds one interface-endpoint ENI per endpoint). @default 2 */
  maxAzs: number;
  /**
   * Zone names to use instead of `<region>a`, `<region>b`, ... (for Regions or accounts where those
   * letters are not offered). @default [] - the first maxAzs letters of the stack's Region
   */
  availabilityZones: string[];
  /** IPv4 CIDR of the VPC. @default '10.40.0.0/16' */
  cidr: string;
}

export interface PipelineConfig {
  thresholds: MetricThresholds;
  training: TrainingConfig;
  /** Batch transform instance for scoring the test split. @default 'ml.m5.xlarge' */
  transformInstanceType: string;
  /** Where an accepted model goes. @default 'endpoint' */
  deployTarget: DeployTarget;
  /** 'auto' registers as Approved and rolls out; 'manual' registers PendingManualApproval and stops. @default 'auto' */
  approvalMode: ApprovalMode;
  endpoint: EndpointConfig;
  eks: EksConfig;
  glue: GlueConfig;
  validation: ValidationConfig;
  dataQuality: DataQualityConfig;
  ingestion: IngestionConfig;
  /** Name of the model package group in the registry. @default 'pricesense-basket-price-sensitivity' */
  modelPackageGroupName: string;
  /** Name of the serving endpoint. @default 'pricesense-basket-price-sensitivity' */
  endpointName: string;
  /**
   * Share of /predict inferences written to the inference log that the drift check reads. One in
   * ten keeps PSI far above its sample minimum at 100 req/s and is what keeps the deployment under
   * the $500/month budget (docs/COST.md). @default 0.1
   */
  inferenceLogSampleRate: number;
  cicd: CicdConfig;
  audit: AuditConfig;
  network: NetworkConfig;
}

export const DEFAULT_CONFIG: PipelineConfig = {
  thresholds: { accuracy: 0.75, macroF1: 0.7, classPrecision: 0.65 },
  training: {
    instanceType: 'ml.m5.xlarge',
    instanceCount: 1,
    volumeSizeGb: 30,
    maxRuntimeSeconds: 3600,
    useSpot: true,
    maxWaitSeconds: 7200,
    hyperparameters: {
      objective: 'multi:softprob',
      num_class: 3,
      num_round: 1000,
      max_depth: 6,
      eta: 0.15,
      subsample: 0.9,
      colsample_bytree: 0.8,
      min_child_weight: 1,
      eval_metric: 'mlogloss',
      early_stopping_rounds: 20,
      tree_method: 'hist',
    },
    tuning: DEFAULT_TUNING_CONFIG,
  },
  transformInstanceType: 'ml.m5.xlarge',
  deployTarget: DeployTarget.Endpoint,
  approvalMode: ApprovalMode.Auto,
  endpoint: {
    instanceType: 'ml.m5.large',
    initialInstanceCount: 1,
    minInstances: 1,
    maxInstances: 4,
    targetInvocationsPerInstance: 6000,
    scaleInCooldownSeconds: 300,
    scaleOutCooldownSeconds: 60,
    terminationWaitMinutes: 10,
    pollSeconds: 30,
    maxPolls: 120,
  },
  eks: {
    clusterName: '',
    namespace: 'pricesense',
    deploymentName: 'pricesense-serving',
    pollSeconds: 15,
    maxPolls: 40,
    endpoint: '',
    certificateAuthorityData: '',
    oidcIssuer: '',
  },
  glue: { workerType: 'G.1X', numberOfWorkers: 4, glueVersion: '4.0', timeoutMinutes: 60 },
  validation: { maxObjectBytes: 5 * 1024 ** 3, sampleRows: 1000 },
  dataQuality: { minBaskets: 1000, minClassShare: 0.05, maxUnclassifiedShare: 0.5, maxNullRate: 0.01, maxRejectedShare: 0.01 },
  ingestion: { concurrency: 16, maxAttempts: 5, maxConcurrentFiles: 10, filesPerBatch: 1 },
  modelPackageGroupName: 'pricesense-basket-price-sensitivity',
  endpointName: 'pricesense-basket-price-sensitivity',
  inferenceLogSampleRate: 0.1,
  cicd: { githubRepository: '', environment: 'production', existingOidcProviderArn: '', bootstrapQualifier: 'hnb659fds' },
  audit: { enabled: false, retentionDays: 365 },
  network: { enabled: false, maxAzs: 2, availabilityZones: [], cidr: '10.40.0.0/16' },
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Merges overrides into the defaults and rejects values that cannot work, naming the field. */
export function resolveConfig(overrides: DeepPartial<PipelineConfig> = {}): PipelineConfig {
  const config = mergeDeep(DEFAULT_CONFIG, overrides);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(config.thresholds)) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      problems.push(`thresholds.${name} must be a number between 0 and 1, got ${JSON.stringify(value)}`);
    }
  }
  if (typeof config.inferenceLogSampleRate !== 'number' || !(config.inferenceLogSampleRate > 0 && config.inferenceLogSampleRate <= 1)) {
    problems.push(`inferenceLogSampleRate must be a number above 0 and at most 1, got ${JSON.stringify(config.inferenceLogSampleRate)}`);
  }
  if (!Object.values(DeployTarget).includes(config.deployTarget)) {
    problems.push(`deployTarget must be one of ${Object.values(DeployTarget).join(', ')}, got ${JSON.stringify(config.deployTarget)}`);
  }
  if (!Object.values(ApprovalMode).includes(config.approvalMode)) {
    problems.push(`approvalMode must be one of ${Object.values(ApprovalMode).join(', ')}, got ${JSON.stringify(config.approvalMode)}`);
  }
  if (config.training.useSpot && config.training.maxWaitSeconds <= config.training.maxRuntimeSeconds) {
    problems.push(
      `training.maxWaitSeconds (${config.training.maxWaitSeconds}) must exceed training.maxRuntimeSeconds (${config.training.maxRuntimeSeconds}) when useSpot is on`,
    );
  }
  if (!config.training.instanceType.startsWith('ml.')) {
    problems.push(`training.instanceType must start with "ml.", got ${JSON.stringify(config.training.instanceType)}`);
  }
  if (config.deployTarget === DeployTarget.Eks && config.eks.clusterName === '') {
    problems.push('eks.clusterName must name an existing EKS cluster when deployTarget is "eks"');
  }
  if (config.deployTarget === DeployTarget.Eks && (config.eks.endpoint === '' || config.eks.certificateAuthorityData === '')) {
    problems.push('eks.endpoint and eks.certificateAuthorityData must be set when deployTarget is "eks" (see `aws eks describe-cluster`)');
  }
  problems.push(...endpointProblems(config.endpoint));
  problems.push(...tuningProblems(config.training.tuning));
  problems.push(...operationalProblems(config));
  problems.push(...platformProblems(config));
  if (config.eks.oidcIssuer !== '' && !/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]+$/.test(config.eks.oidcIssuer)) {
    problems.push(`eks.oidcIssuer must be the cluster's OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<id>), got ${JSON.stringify(config.eks.oidcIssuer)}`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid pricesense configuration:\n- ${problems.join('\n- ')}`);
  }
  return config;
}

/** SageMaker resource names (endpoints, model package groups). */
const SAGEMAKER_RESOURCE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Values that synthesize but would fail or loop at run time, after training. */
function operationalProblems(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const wholeAtLeast = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) problems.push(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  };
  wholeAtLeast('eks.pollSeconds', config.eks.pollSeconds, 1);
  wholeAtLeast('eks.maxPolls', config.eks.maxPolls, 1);
  wholeAtLeast('ingestion.concurrency', config.ingestion.concurrency, 1);
  wholeAtLeast('ingestion.maxAttempts', config.ingestion.maxAttempts, 1);
  wholeAtLeast('ingestion.maxConcurrentFiles', config.ingestion.maxConcurrentFiles, 1);
  wholeAtLeast('ingestion.filesPerBatch', config.ingestion.filesPerBatch, 1);
  for (const field of ['endpointName', 'modelPackageGroupName'] as const) {
    if (!SAGEMAKER_RESOURCE_NAME.test(config[field])) {
      problems.push(`${field} must be 1-63 characters of letters, digits and single hyphens (SageMaker's name rule), got ${JSON.stringify(config[field])}`);
    }
  }
  return problems;
}

/** CI/CD, audit and network options (infra/cicd, infra/audit, infra/network). */
function platformProblems(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const { cicd, audit, network } = config;
  if (cicd.githubRepository !== '' && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(cicd.githubRepository)) {
    problems.push(`cicd.githubRepository must be "owner/name" of a GitHub repository, got ${JSON.stringify(cicd.githubRepository)}`);
  }
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(cicd.environment)) {
    problems.push(`cicd.environment must name a GitHub environment (letters, digits, . _ -), got ${JSON.stringify(cicd.environment)}`);
  }
  if (cicd.existingOidcProviderArn !== '' && !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(cicd.existingOidcProviderArn)) {
    problems.push(`cicd.existingOidcProviderArn must be the ARN of the token.actions.githubusercontent.com OIDC provider, got ${JSON.stringify(cicd.existingOidcProviderArn)}`);
  }
  if (!/^[a-z0-9]{1,10}$/.test(cicd.bootstrapQualifier)) {
    problems.push(`cicd.bootstrapQualifier must be 1-10 lowercase letters or digits (cdk bootstrap --qualifier), got ${JSON.stringify(cicd.bootstrapQualifier)}`);
  }
  if (!Number.isInteger(audit.retentionDays) || audit.retentionDays < 1) {
    problems.push(`audit.retentionDays must be a whole number of at least 1, got ${JSON.stringify(audit.retentionDays)}`);
  }
  if (!Number.isInteger(network.maxAzs) || network.maxAzs < 1 || network.maxAzs > 3) {
    problems.push(`network.maxAzs must be 1, 2 or 3, got ${JSON.stringify(network.maxAzs)}`);
  }
  for (const zone of network.availabilityZones) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(zone)) problems.push(`network.availabilityZones must hold zone names such as "us-east-1a", got ${JSON.stringify(zone)}`);
  }
  if (!/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/.test(network.cidr)) {
    problems.push(`network.cidr must be an IPv4 CIDR from /16 to /24, got ${JSON.stringify(network.cidr)}`);
  }
  return problems;
}

function endpointProblems(endpoint: EndpointConfig): string[] {
  const problems: string[] = [];
  const wholeAtLeast = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) problems.push(`endpoint.${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  };
  wholeAtLeast('initialInstanceCount', endpoint.initialInstanceCount, 1);
  wholeAtLeast('minInstances', endpoint.minInstances, 1);
  wholeAtLeast('maxInstances', endpoint.maxInstances, 1);
  wholeAtLeast('scaleInCooldownSeconds', endpoint.scaleInCooldownSeconds, 0);
  wholeAtLeast('scaleOutCooldownSeconds', endpoint.scaleOutCooldownSeconds, 0);
  wholeAtLeast('pollSeconds', endpoint.pollSeconds, 1);
  wholeAtLeast('maxPolls', endpoint.maxPolls, 1);
  // UpdateEndpoint takes TerminationWaitInSeconds up to 3600.
  if (!Number.isInteger(endpoint.terminationWaitMinutes) || endpoint.terminationWaitMinutes < 0 || endpoint.terminationWaitMinutes > 60) {
    problems.push(`endpoint.terminationWaitMinutes must be a whole number from 0 to 60, got ${JSON.stringify(endpoint.terminationWaitMinutes)}`);
  }
  if (endpoint.minInstances > endpoint.maxInstances) {
    problems.push(`endpoint.minInstances (${endpoint.minInstances}) must not exceed endpoint.maxInstances (${endpoint.maxInstances})`);
  }
  if (typeof endpoint.targetInvocationsPerInstance !== 'number' || !(endpoint.targetInvocationsPerInstance > 0)) {
    problems.push(`endpoint.targetInvocationsPerInstance must be a number above 0, got ${JSON.stringify(endpoint.targetInvocationsPerInstance)}`);
  }
  const serverless = endpoint.serverless;
  if (serverless !== undefined) {
    if (!(SERVERLESS_MEMORY_SIZES_MB as readonly number[]).includes(serverless.memorySizeInMb)) {
      problems.push(`endpoint.serverless.memorySizeInMb must be one of ${SERVERLESS_MEMORY_SIZES_MB.join(', ')}, got ${JSON.stringify(serverless.memorySizeInMb)}`);
    }
    if (!Number.isInteger(serverless.maxConcurrency) || serverless.maxConcurrency < 1 || serverless.maxConcurrency > SERVERLESS_MAX_CONCURRENCY) {
      problems.push(`endpoint.serverless.maxConcurrency must be a whole number from 1 to ${SERVERLESS_MAX_CONCURRENCY}, got ${JSON.stringify(serverless.maxConcurrency)}`);
    }
  }
  return problems;
}

function mergeDeep<T>(base: T, overrides: DeepPartial<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value) && current !== null && typeof current === 'object'
        ? mergeDeep(current, value as DeepPartial<typeof current>)
        : value;
  }
  return out as T;
}
