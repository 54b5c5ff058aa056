/**
 * The shape of the pipeline configuration: every tunable with its documented default, and the
 * value sets (deploy targets, approval modes, serverless limits) the validation checks against.
 * Defaults live in config-defaults.ts, the checks in config-validation.ts; config.ts merges.
 */

import type { TuningConfig } from './tuning-config.js';

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

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
