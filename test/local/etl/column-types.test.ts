/**
 * One declaration of each written column's type, and three places that must agree with it, for
 * every column of silver and gold:
 *   1. the declaration: gold = the Glue catalog table in the synthesized template (what Athena
 *      reads on AWS); silver = workflow/silver-lines-schema.ts (no Glue table reads silver yet);
 *   2. the SQL: every written column is an explicit top-level CAST to that type, so Spark and
 *      DuckDB write the same type whatever each would infer (Spark: SUM/COUNT -> BIGINT);
 *   3. the Parquet the local ETL wrote (file schema; silver's partition keys are folder names).
 * Types are never taken from DuckDB's inference alone: (2) is read from the SQL text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession, sqlString } from '../../../local/etl/duckdb-session.js';
import { runRawToSilver } from '../../../local/etl/raw-to-silver.js';
import { GOLD_LAYOUT, runSilverToGold } from '../../../local/etl/silver-to-gold.js';
import { outputColumns } from '../../../local/etl/sql-output-columns.js';
import { loadSqlSteps, RAW_TO_SILVER_SQL_DIR, SILVER_TO_GOLD_SQL_DIR } from '../../../local/etl/sql-steps.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { GOLD_BASKET_COLUMNS } from '../../../workflow/gold-baskets-schema.js';
import { GOLD_BASKETS_TABLE } from '../../../workflow/resource-names.js';
import { SILVER_LINE_COLUMNS, SILVER_PARTITION_KEYS } from '../../../workflow/silver-lines-schema.js';
import { synthForTest } from '../../support/synth.js';

/** Catalog (Hive/Athena) type -> the Spark SQL CAST target that writes it. */
const CAST_FOR_CATALOG: Record<string, string> = { bigint: 'BIGINT', int: 'INT', double: 'DOUBLE', string: 'STRING', date: 'DATE' };
/** Parquet column as DuckDB describes the file's schema -> catalog type. */
const CATALOG_FOR_PARQUET: Record<string, string> = { BIGINT: 'bigint', INTEGER: 'int', DOUBLE: 'double', VARCHAR: 'string', DATE: 'date' };

let dir: string;
let goldParquet: Array<[string, string]>;
let silverParquet: Array<[string, string]>;

async function parquetColumns(session: DuckDbSession, glob: string): Promise<Array<[string, string]>> {
  const rows = await session.rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(glob)}, hive_partitioning = false)`);
  return rows.map((row) => [String(row.column_name), CATALOG_FOR_PARQUET[String(row.column_type)] ?? `unmapped ${String(row.column_type)}`]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pricesense-column-types-'));
  await generateDataset({ rows: 5_000, seed: 11, out: join(dir, 'raw.csv') });
  await runRawToSilver({ rawPath: join(dir, 'raw.csv'), silverDir: join(dir, 'silver'), runId: 'r1' });
  await runSilverToGold({ silverDir: join(dir, 'silver'), goldDir: join(dir, 'gold'), runId: 'r1' });
  const session = await DuckDbSession.open();
  try {
    goldParquet = await parquetColumns(session, join(dir, 'gold', GOLD_LAYOUT.baskets, '**', '*.parquet'));
    silverParquet = await parquetColumns(session, join(dir, 'silver', '**', '*.parquet'));
  } finally {
    session.close();
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('gold_baskets: Glue catalog, SQL casts and Parquet agree on every column', () => {
  const sql = outputColumns(loadSqlSteps(SILVER_TO_GOLD_SQL_DIR), 'gold_baskets');

  it('the synthesized Glue table declares GOLD_BASKET_COLUMNS, in order', () => {
    const tables = Object.values(synthForTest().template.Resources as Record<string, { Type: string; Properties: any }>).filter(
      (resource) => resource.Type === 'AWS::Glue::Table' && resource.Properties.TableInput.Name === GOLD_BASKETS_TABLE,
    );
    const catalog = tables[0]!.Properties.TableInput.StorageDescriptor.Columns.map((column: { Name: string; Type: string }) => [column.Name, column.Type]);

    expect(catalog).toEqual(GOLD_BASKET_COLUMNS.map(([name, type]) => [name, type]));
  });

  it('06_gold_baskets.sql writes every column as an explicit CAST to its catalog type', () => {
    const cast = sql.map((column) => [column.name, column.castType ?? `no CAST: ${column.text}`]);

    expect(cast).toEqual(GOLD_BASKET_COLUMNS.map(([name, type]) => [name, CAST_FOR_CATALOG[type]]));
  });

  it('the Parquet written has the catalog type in every column', () => {
    expect(goldParquet).toEqual(GOLD_BASKET_COLUMNS.map(([name, type]) => [name, type]));
  });

  it('counts stay BIGINT as Spark writes them (issue 11 D4: the catalog said double)', () => {
    const declared = Object.fromEntries(GOLD_BASKET_COLUMNS);

    expect([declared.items, declared.total_quantity, declared.prior_baskets, declared.distinct_departments]).toEqual(['bigint', 'bigint', 'bigint', 'bigint']);
  });
});

describe('silver lines: declaration, SQL casts and Parquet agree on every column', () => {
  const sql = outputColumns(loadSqlSteps(RAW_TO_SILVER_SQL_DIR), 'silver_lines');

  it('the raw -> silver SQL writes every column as an explicit CAST to its declared type', () => {
    const cast = sql.map((column) => [column.name, column.castType ?? `no CAST in ${column.step}.sql: ${column.text}`]);

    expect(cast).toEqual(SILVER_LINE_COLUMNS.map(([name, type]) => [name, CAST_FOR_CATALOG[type]]));
  });

  it('the Parquet files hold the declared type in every column but the partition keys, which are folder names', () => {
    const partitionKeys = new Set<string>(SILVER_PARTITION_KEYS);
    const inFiles = SILVER_LINE_COLUMNS.filter(([name]) => !partitionKeys.has(name)).map(([name, type]) => [name, type]);

    expect(silverParquet).toEqual(inFiles);
    expect(SILVER_LINE_COLUMNS.filter(([name]) => partitionKeys.has(name)).map(([, type]) => type)).toEqual(['string', 'string']);
  });
});

describe('outputColumns', () => {
  const step = (name: string, sql: string) => ({ name, file: `${name}.sql`, sql });

  it('reads CAST items, follows alias.* to the step selected from, and flags a non-CAST item', () => {
    const steps = [
      step('a', "SELECT CAST(x AS BIGINT) AS x, CAST(SUM(y) AS DOUBLE) AS y, -- CAST(z AS INT) AS z\n CAST(1 AS INT) + 1 AS w FROM t"),
      step('b', 'SELECT DISTINCT v.* FROM a v WHERE x > 0'),
    ];

    expect(outputColumns(steps, 'b').map((column) => [column.name, column.castType])).toEqual([
      ['x', 'BIGINT'],
      ['y', 'DOUBLE'],
      ['w', null],
    ]);
  });
});
