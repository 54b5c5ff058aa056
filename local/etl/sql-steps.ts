/**
 * The SQL steps of a Glue job, read from `glue-scripts/sql/<job>/NN_<name>.sql`: they run in
 * file-name order and each one's result is bound under `<name>` for the steps after it (a
 * Spark temp view in Glue; on DuckDB a view, or a temp table where the runner keeps a result:
 * see raw-to-silver.ts and silver-to-gold.ts). The same convention is coded in the PySpark
 * scripts, so both engines run the same files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SQL_ROOT = fileURLToPath(new URL('../../glue-scripts/sql/', import.meta.url));
export const RAW_TO_SILVER_SQL_DIR = join(SQL_ROOT, 'raw_to_silver');
export const SILVER_TO_GOLD_SQL_DIR = join(SQL_ROOT, 'silver_to_gold');
export const DATA_QUALITY_SQL_FILE = join(SQL_ROOT, 'data_quality.sql');

export interface SqlStep {
  /** Name the result is bound under (`02_silver_lines.sql` -> `silver_lines`). */
  name: string;
  file: string;
  sql: string;
}

const STEP_FILE = /^(\d{2})_([a-z][a-z0-9_]*)\.sql$/;

export function loadSqlSteps(directory: string): SqlStep[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = STEP_FILE.exec(file);
      if (!match) throw new Error(`SQL step ${join(directory, file)} must be named NN_<snake_case_name>.sql`);
      return { name: match[2]!, file: join(directory, file), sql: readFileSync(join(directory, file), 'utf8') };
    });
}
