/**
 * How CheckDataQuality binds glue-scripts/sql/data_quality.sql on Athena (and on DuckDB locally):
 * the ExecutionParameters in the order of the query's `?` placeholders, documented in the SQL
 * file's header. Shared by the workflow (which renders them as JSONata around `$run.runId`) and
 * the local ETL tests.
 */
import type { DataQualityConfig } from './config.js';

/** The `?` placeholders of data_quality.sql, in order. */
export const DATA_QUALITY_PARAMETERS = ['runId', 'minBaskets', 'minClassShare', 'maxUnclassifiedShare', 'maxNullRate'] as const;
export type DataQualityParameter = (typeof DATA_QUALITY_PARAMETERS)[number];

/**
 * Run ids are execution names. They become S3 prefixes and, here, an SQL string literal that
 * Athena inserts as is — so validate-input refuses any other name before a run starts.
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_.-]{1,80}$/;

function numberLiteral(name: string, value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`dataQuality.${name} must be a finite number, got ${JSON.stringify(value)}`);
  }
  return String(value);
}

/**
 * Athena ExecutionParameters for data_quality.sql. Athena inserts each value as literal SQL, so
 * the run id becomes a quoted string literal (`'run-1'`) and the thresholds plain numbers.
 */
export function dataQualityExecutionParameters(runId: string, config: DataQualityConfig): string[] {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new Error(`run id must be 1-80 characters of letters, digits, _ . -, got ${JSON.stringify(runId)}`);
  }
  const values: Record<DataQualityParameter, string> = {
    runId: `'${runId}'`,
    minBaskets: numberLiteral('minBaskets', config.minBaskets),
    minClassShare: numberLiteral('minClassShare', config.minClassShare),
    maxUnclassifiedShare: numberLiteral('maxUnclassifiedShare', config.maxUnclassifiedShare),
    maxNullRate: numberLiteral('maxNullRate', config.maxNullRate),
  };
  return DATA_QUALITY_PARAMETERS.map((name) => values[name]);
}
