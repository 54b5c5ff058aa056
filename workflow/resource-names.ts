/**
 * Names of resources that the workflow, the task Lambdas and the local runtime must agree on.
 * Buckets and functions keep CDK-generated names; these are the ones a user sees and types.
 */

/** Glue jobs (explicit names so the console and the local runtime can find them). */
export const GlueJob = {
  RawToSilver: 'pricesense-raw-to-silver',
  SilverToGold: 'pricesense-silver-to-gold',
} as const;
export type GlueJob = (typeof GlueJob)[keyof typeof GlueJob];

/** Arguments both Glue jobs read with getResolvedOptions (values are S3 URIs ending in `/` or ids). */
export const GlueJobArgument = {
  RunId: '--run_id',
  RawUri: '--raw_uri',
  SilverUri: '--silver_uri',
  GoldUri: '--gold_uri',
} as const;

export const GLUE_DATABASE = 'pricesense';
/** Glue catalog table over gold baskets, partitioned by run_id (partition projection). */
export const GOLD_BASKETS_TABLE = 'gold_baskets';
/** Glue catalog table over the raw -> silver counts of each run (one row per run, in gold). */
export const SILVER_STATS_TABLE = 'silver_stats';
export const ATHENA_WORKGROUP = 'pricesense';

/** Online + offline feature group of customer history features. */
export const CUSTOMER_FEATURE_GROUP = 'pricesense-customer-history';

/**
 * Task Lambdas: the value of each function's POWERTOOLS_SERVICE_NAME and the file
 * `tasks/<name>.ts` whose `handler` it runs. The local runtime uses this to invoke in-process.
 */
export const TaskFunction = {
  ValidateInput: 'validate-input',
  IngestFeatures: 'ingest-features',
  EvaluateModel: 'evaluate-model',
  StartExecution: 'start-execution',
  Predict: 'predict',
  DetectDrift: 'detect-drift',
} as const;
export type TaskFunction = (typeof TaskFunction)[keyof typeof TaskFunction];
