/**
 * The data-quality query the workflow runs on Athena: its SQL (owned by the ETL, read at synth
 * time) and the ExecutionParameters bound to its `?` placeholders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataQualityConfig } from '../workflow/config.js';

export const DATA_QUALITY_SQL_PATH = join('sql', 'data_quality.sql');

export function readDataQualitySql(glueScriptsDir: string): string {
  const path = join(glueScriptsDir, DATA_QUALITY_SQL_PATH);
  if (!existsSync(path)) {
    throw new Error(`The data-quality query ${path} does not exist: CheckDataQuality runs it on Athena, so the app cannot be synthesized without it.`);
  }
  return readFileSync(path, 'utf8');
}

/**
 * Positional parameters: the run id as a quoted SQL string literal, then the DataQualityConfig
 * thresholds in declaration order (minBaskets, minClassShare, maxUnclassifiedShare, maxNullRate).
 * Must stay in step with the header comment of data_quality.sql.
 */
export function dataQualityExecutionParameters(runId: string, dataQuality: DataQualityConfig): string[] {
  return [`'${runId.replace(/'/g, "''")}'`, String(dataQuality.minBaskets), String(dataQuality.minClassShare), String(dataQuality.maxUnclassifiedShare), String(dataQuality.maxNullRate)];
}

/**
 * The query as one line without `--` comments: the definition stays readable in the console and
 * validators that reject multi-line strings (asl-validator) accept it. Quote-aware, so `--`
 * inside a string literal is kept.
 */
export function singleLineSql(sql: string): string {
  const lines = sql.split(/\r?\n/).map((line) => {
    let inQuote: string | null = null;
    for (let i = 0; i < line.length; i += 1) {
      const char = line[i]!;
      if (inQuote) {
        if (char === inQuote) inQuote = null;
      } else if (char === "'" || char === '"') {
        inQuote = char;
      } else if (char === '-' && line[i + 1] === '-') {
        return line.slice(0, i);
      }
    }
    return line;
  });
  return lines.map((line) => line.trim()).filter((line) => line.length > 0).join(' ');
}
