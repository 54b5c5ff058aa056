/** Runs glue-scripts/sql/data_quality.sql through the local Athena emulator, as CheckDataQuality does. */
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../../../workflow/config.js';
import { AthenaEmulator } from '../../../local/aws/athena.js';
import { dataQualityExecutionParameters, dataQualityThresholds, type DataQualityRule } from '../../../local/etl/data-quality.js';
import { DATA_QUALITY_SQL_FILE } from '../../../local/etl/sql-steps.js';

export const GOLD_BUCKET = 'gold-bucket';

export function goldAthena(stateDir: string): AthenaEmulator {
  return new AthenaEmulator({
    stateDir,
    tables: [
      {
        database: 'pricesense',
        name: 'gold_baskets',
        location: `s3://${GOLD_BUCKET}/gold/`,
        partitionKeys: ['run_id'],
        locationTemplate: `s3://${GOLD_BUCKET}/gold/run_id=\${run_id}/baskets/`,
      },
      {
        database: 'pricesense',
        name: 'silver_stats',
        location: `s3://${GOLD_BUCKET}/gold/`,
        partitionKeys: ['run_id'],
        locationTemplate: `s3://${GOLD_BUCKET}/gold/run_id=\${run_id}/silver_stats/`,
      },
    ],
  });
}

export interface RuleResult {
  measured: string | undefined;
  threshold: string | undefined;
  passed: string | undefined;
}

export async function runDataQuality(athena: AthenaEmulator, runId: string): Promise<Record<string, RuleResult>> {
  const { QueryExecutionId } = await athena.call('StartQueryExecution', {
    QueryString: readFileSync(DATA_QUALITY_SQL_FILE, 'utf8'),
    QueryExecutionContext: { Database: 'pricesense' },
    WorkGroup: 'pricesense',
    ExecutionParameters: dataQualityExecutionParameters(runId, DEFAULT_CONFIG.dataQuality),
  });
  await athena.whenIdle();
  const execution = (await athena.call('GetQueryExecution', { QueryExecutionId })) as { QueryExecution: { Status: { State: string; StateChangeReason?: string } } };
  if (execution.QueryExecution.Status.State !== 'SUCCEEDED') throw new Error(`data-quality query ${execution.QueryExecution.Status.State}: ${execution.QueryExecution.Status.StateChangeReason}`);
  const results = (await athena.call('GetQueryResults', { QueryExecutionId })) as {
    ResultSet: { Rows: Array<{ Data: Array<{ VarCharValue?: string }> }> };
  };
  const out: Record<string, RuleResult> = {};
  for (const row of results.ResultSet.Rows.slice(1)) {
    // The query reports rule, measured, passed; the threshold comes from the configuration, as
    // ReadDataQualityResults adds it.
    const [rule, measured, passed] = row.Data.map((cell) => cell.VarCharValue);
    const threshold = dataQualityThresholds(DEFAULT_CONFIG.dataQuality)[rule as DataQualityRule];
    out[rule!] = { measured, threshold: threshold === undefined ? undefined : String(threshold), passed };
  }
  return out;
}

/** Names of the rules that failed, sorted. */
export function failedRules(results: Record<string, RuleResult>): string[] {
  return Object.entries(results)
    .filter(([, result]) => result.passed !== 'true')
    .map(([rule]) => rule)
    .sort();
}
