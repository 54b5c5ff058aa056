import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DuckDbSession } from '../../local/etl/duckdb-session.js';
import { SILVER_TO_GOLD_SQL_DIR } from '../../local/etl/sql-steps.js';
import { CATEGORY_CODES } from '../../tasks/core/predict/category-codes.js';

it('compiles in exactly the category codes glue-scripts/sql/silver_to_gold/01_category_encodings.sql defines', async () => {
  const session = await DuckDbSession.open();
  try {
    const rows = await session.rows(readFileSync(join(SILVER_TO_GOLD_SQL_DIR, '01_category_encodings.sql'), 'utf8'));
    const fromSql: Record<string, Record<string, number>> = {};
    for (const row of rows) (fromSql[String(row.feature)] ??= {})[String(row.category)] = Number(row.code);
    expect(CATEGORY_CODES).toEqual(fromSql);
  } finally {
    session.close();
  }
});
