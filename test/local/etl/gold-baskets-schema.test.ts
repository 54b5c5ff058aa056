/**
 * The Glue catalog's gold_baskets columns (what Athena's data-quality query reads on AWS) must be
 * exactly what the gold SQL writes: Athena fails on a declared type that does not match the
 * Parquet, and silently reads NULL for a declared column the file lacks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbSession } from '../../../local/etl/duckdb-session.js';
import { runRawToSilver } from '../../../local/etl/raw-to-silver.js';
import { runSilverToGold } from '../../../local/etl/silver-to-gold.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { GOLD_BASKET_COLUMNS } from '../../../workflow/gold-baskets-schema.js';

const ATHENA_TYPE_OF_DUCKDB: Record<string, string> = { BIGINT: 'bigint', INTEGER: 'int', DOUBLE: 'double', VARCHAR: 'string', DATE: 'date' };

describe('gold_baskets catalog schema', () => {
  it('declares every column the gold SQL writes, in order, with the matching Athena type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pricesense-gold-schema-'));
    await generateDataset({ rows: 5_000, seed: 11, out: join(dir, 'raw.csv') });
    await runRawToSilver({ rawPath: join(dir, 'raw.csv'), silverDir: join(dir, 'silver'), runId: 'r1' });
    await runSilverToGold({ silverDir: join(dir, 'silver'), goldDir: join(dir, 'gold'), runId: 'r1' });
    const session = await DuckDbSession.open();
    const described = await session.rows(`DESCRIBE SELECT * FROM read_parquet('${join(dir, 'gold', 'baskets')}/**/*.parquet')`);

    const written = described.map((row) => [String(row.column_name), ATHENA_TYPE_OF_DUCKDB[String(row.column_type)] ?? String(row.column_type)]);

    expect(written).toEqual(GOLD_BASKET_COLUMNS.map(([name, type]) => [name, type]));
  }, 60_000);
});
