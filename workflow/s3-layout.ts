/**
 * Where each run's data lives. Every zone is keyed by the run id (the execution name), so a
 * redrive rewrites its own prefix and never another run's.
 */
export const RAW_PREFIX = 'raw/';
export const QUARANTINE_PREFIX = 'quarantine/';
/** Where the Athena workgroup writes query results, in the artifacts bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';

export function silverPrefix(runId: string): string {
  return `silver/run_id=${runId}/`;
}

/** Gold layout under `gold/run_id=<runId>/`. */
export function goldPaths(runId: string) {
  const root = `gold/run_id=${runId}/`;
  return {
    root,
    /** One row per basket, Parquet. */
    baskets: `${root}baskets/`,
    /** Headerless label-first CSV for SageMaker XGBoost. */
    train: `${root}xgboost/train/`,
    validation: `${root}xgboost/validation/`,
    /** Test features only (no label): the batch-transform input. */
    testFeatures: `${root}xgboost/test/features/`,
    /** Test labels (0,1,2), one per line, same order as testFeatures. */
    testLabels: `${root}xgboost/test/labels/`,
    /** Customer history features to ingest into the feature store (CSV with header, several files). */
    customerFeatures: `${root}customer_features/`,
    /** feature_list.json and category_encodings.json for serving. */
    serving: `${root}serving/`,
    /** The raw -> silver counts of the run, one Parquet row (Glue table silver_stats). */
    silverStats: `${root}silver_stats/`,
  };
}

export function artifactPaths(runId: string, trainingJobName: string) {
  return {
    trainingOutput: 'training/',
    modelArtifact: `training/${trainingJobName}/output/model.tar.gz`,
    checkpoints: `checkpoints/${trainingJobName}/`,
    transformOutput: `transform/run_id=${runId}/`,
    evaluationReport: `evaluation/run_id=${runId}/model-quality.json`,
    failedRecords: `ingestion/run_id=${runId}/failed-records/`,
  };
}
