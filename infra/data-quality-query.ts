/**
 * The data-quality query the workflow runs on Athena: its SQL (owned by the ETL, read at synth
 * time); its ExecutionParameters are workflow/data-quality-parameters.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DATA_QUALITY_SQL_PATH = join('sql', 'data_quality.sql');

export function readDataQualitySql(glueScriptsDir: string): string {
  const path = join(glueScriptsDir, DATA_QUALITY_SQL_PATH);
  if (!existsSync(path)) {
    throw new Error(`The data-quality query ${path} does not exist: CheckDataQuality runs it on Athena, so the app cannot be synthesized without it.`);
  }
  return readFileSync(path, 'utf8');
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
