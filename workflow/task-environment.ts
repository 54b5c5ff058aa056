/**
 * Environment variables of each task Lambda: the CDK app sets them, the handlers read them (once,
 * through a zod schema), and the local runtime fills them from the synthesized template.
 * POWERTOOLS_SERVICE_NAME is always the TaskFunction name (`tasks/<name>.ts`).
 */
export const TaskEnv = {
  ServiceName: 'POWERTOOLS_SERVICE_NAME',
  RawBucket: 'RAW_BUCKET',
  SilverBucket: 'SILVER_BUCKET',
  GoldBucket: 'GOLD_BUCKET',
  ArtifactsBucket: 'ARTIFACTS_BUCKET',
  MaxObjectBytes: 'MAX_OBJECT_BYTES',
  SampleRows: 'SAMPLE_ROWS',
  StateMachineArn: 'STATE_MACHINE_ARN',
  FeatureGroupName: 'FEATURE_GROUP_NAME',
  IngestConcurrency: 'INGEST_CONCURRENCY',
  IngestMaxAttempts: 'INGEST_MAX_ATTEMPTS',
  ModelPackageGroupName: 'MODEL_PACKAGE_GROUP_NAME',
  MetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  EndpointName: 'ENDPOINT_NAME',
  InferenceTableName: 'INFERENCE_TABLE_NAME',
  /** Share of /predict inferences written to the inference log (0..1]. */
  InferenceLogSampleRate: 'INFERENCE_LOG_SAMPLE_RATE',
  /** detect-drift: hours of inference log compared with training. */
  DriftWindowHours: 'DRIFT_WINDOW_HOURS',
  /** detect-drift: fewer logged inferences than this in the window publish no PSI. */
  DriftMinSamples: 'DRIFT_MIN_SAMPLES',
} as const;
export type TaskEnv = (typeof TaskEnv)[keyof typeof TaskEnv];

/** Namespace of the custom CloudWatch metrics the tasks publish. */
export const METRICS_NAMESPACE = 'Pricesense';
