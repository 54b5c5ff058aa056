/** The configuration a run gets when nothing is overridden (the `@default`s of config-types.ts). */
import { ApprovalMode, DeployTarget, type PipelineConfig } from './config-types.js';
import { DEFAULT_TUNING_CONFIG } from './tuning-config.js';

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
      // XGBoost's (and SageMaker's) default step. Against 0.15 it halves the rounds (2.67M rows:
      // best round 37 instead of 90) at the same test accuracy (0.858 vs 0.858; mean over ten
      // 200k-row seeds 0.831 vs 0.831), validation log loss within 0.006: test/bench/training-cost.ts.
      eta: 0.3,
      subsample: 0.9,
      colsample_bytree: 0.8,
      min_child_weight: 1,
      eval_metric: 'mlogloss',
      // Patience scales with the step: 10 rounds at eta 0.3 cover the same shrinkage (3.0) as 20 at
      // 0.15; on the eleven data sets measured it stopped on the same best round as 20 did.
      early_stopping_rounds: 10,
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
