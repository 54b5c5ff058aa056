import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../../../local/etl/duckdb-session.js';
import { loadSqlSteps, SILVER_TO_GOLD_SQL_DIR } from '../../../local/etl/sql-steps.js';
import { blankCommentsAndStrings } from '../../../local/etl/sql-dialect-lint.js';

// 02_reference_prices.sql computes exact medians with a buffer-managed GROUP BY and window, not
// percentile_cont: these tests hold it to percentile_cont's value, bit for bit (the references are
// served by /predict), on the cases where a hand-written median goes wrong.
const referenceSql = loadSqlSteps(SILVER_TO_GOLD_SQL_DIR).find((step) => step.name === 'reference_prices')!.sql;

/** What 02 computed before: DuckDB's percentile_cont, the definition the new query must match. */
const PERCENTILE_CONT_REFERENCES = `
SELECT 'product' AS level, PROD_CODE AS code,
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY SPEND / QUANTITY) AS DOUBLE) AS reference_price, CAST(COUNT(*) AS BIGINT) AS lines
FROM silver_lines WHERE BASKET_ID % 10 < 8 AND SPEND > 0 GROUP BY PROD_CODE
UNION ALL
SELECT 'group' AS level, PROD_CODE_30 AS code,
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY SPEND / QUANTITY) AS DOUBLE) AS reference_price, CAST(COUNT(*) AS BIGINT) AS lines
FROM silver_lines WHERE BASKET_ID % 10 < 8 AND SPEND > 0 AND PROD_CODE_30 IS NOT NULL GROUP BY PROD_CODE_30`;

type Line = [basketId: number, product: string, group: string | null, spend: number, quantity: number];

async function references(session: DuckDbSession, lines: Line[], sql: string) {
  const values = lines
    .map(([basket, product, group, spend, quantity]) => `(${basket}, '${product}', ${group === null ? 'NULL' : `'${group}'`}, CAST(${spend} AS DOUBLE), ${quantity})`)
    .join(', ');
  await session.run(
    `CREATE OR REPLACE TEMP VIEW silver_lines AS SELECT * FROM (VALUES ${values}) AS l(BASKET_ID, PROD_CODE, PROD_CODE_30, SPEND, QUANTITY)`,
  );
  return session.rows(`SELECT level, code, reference_price, lines FROM (${sql}) AS r ORDER BY level, code`);
}

describe('02_reference_prices.sql', () => {
  let session: DuckDbSession;
  beforeAll(async () => {
    session = await DuckDbSession.open();
  });
  afterAll(() => session.close());

  it('takes the median unit price of training lines: odd and even counts, ties, unsorted input', async () => {
    const lines: Line[] = [
      // P1 (odd, 3 lines): 1, 2, 10 -> 2
      [10, 'P1', 'G1', 10, 1], [20, 'P1', 'G1', 1, 1], [30, 'P1', 'G1', 4, 2],
      // P2 (even, 4 lines): 1, 2, 3, 100 -> 2.5 (between the middle two)
      [11, 'P2', 'G1', 3, 1], [21, 'P2', 'G1', 100, 1], [31, 'P2', 'G1', 2, 2], [41, 'P2', 'G1', 2, 1],
      // P3 (even, ties across the middle): 5, 5, 5, 7 -> 5
      [12, 'P3', 'G2', 5, 1], [22, 'P3', 'G2', 15, 3], [32, 'P3', 'G2', 7, 1], [42, 'P3', 'G2', 10, 2],
      // P4: a single line
      [13, 'P4', null, 1.5, 3],
      // Left out: validation (x8) and test (x9) baskets, unpriced lines (SPEND 0)
      [18, 'P1', 'G1', 1000, 1], [29, 'P4', null, 1000, 1], [14, 'P4', null, 0, 1],
    ];
    const rows = await references(session, lines, referenceSql);
    expect(rows).toEqual([
      { level: 'group', code: 'G1', reference_price: 2, lines: 7 }, // 1, 1, 2, 2, 3, 10, 100
      { level: 'group', code: 'G2', reference_price: 5, lines: 4 },
      { level: 'product', code: 'P1', reference_price: 2, lines: 3 },
      { level: 'product', code: 'P2', reference_price: 2.5, lines: 4 },
      { level: 'product', code: 'P3', reference_price: 5, lines: 4 },
      { level: 'product', code: 'P4', reference_price: 0.5, lines: 1 },
    ]);
  });

  it('equals percentile_cont bit for bit on many products, prices with repeats and a product in two groups', async () => {
    // A fixed pseudo-random stream (no Math.random: the test must reproduce).
    let state = 42;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lines: Line[] = [];
    for (let i = 0; i < 4000; i += 1) {
      const product = `P${Math.floor(next() * 60)}`;
      const group = product === 'P7' ? (next() < 0.5 ? 'G1' : 'G2') : `G${Number(product.slice(1)) % 5}`;
      // A few spends and quantities: many equal unit prices, and products of 1 to ~130 lines.
      const spend = next() < 0.05 ? 0 : Math.round(next() * 40) / 4 + 0.01;
      lines.push([Math.floor(next() * 100000), product, next() < 0.03 ? null : group, spend, 1 + Math.floor(next() * 6)]);
    }
    const expected = await references(session, lines, PERCENTILE_CONT_REFERENCES);
    const actual = await references(session, lines, referenceSql);
    expect(actual.length).toBeGreaterThan(60);
    expect(actual).toEqual(expected);
    // Some medians fall between two different prices (even counts): the interpolation is exercised.
    const interpolated = await session.rows(`
      SELECT COUNT(*) AS n FROM (SELECT PROD_CODE FROM silver_lines WHERE BASKET_ID % 10 < 8 AND SPEND > 0 GROUP BY PROD_CODE
      HAVING COUNT(*) % 2 = 0 AND percentile_disc(0.5) WITHIN GROUP (ORDER BY SPEND / QUANTITY) <> percentile_cont(0.5) WITHIN GROUP (ORDER BY SPEND / QUANTITY)) AS p`);
    expect(Number(interpolated[0]!.n)).toBeGreaterThan(5);
  });

  it('uses no holistic aggregate: their state is held outside DuckDB memory_limit and cannot spill', () => {
    // percentile_cont kept every training line's price in process memory: 0.6 GiB at 26.7M rows,
    // which the allocator kept after the step, under the 1 GiB the later steps use.
    expect(blankCommentsAndStrings(referenceSql)).not.toMatch(/\b(percentile_cont|percentile_disc|percentile|median|quantile\w*|mode)\s*\(/i);
  });
});
