/**
 * Issue 14, cases 8 and 9: ValidateInput's sample check (tasks/core/validate-input/valid-row.ts) and the silver
 * SQL (glue-scripts/sql/raw_to_silver) judge every value alike. A corpus of edge values, one per
 * row of an otherwise valid file, goes through both; the rows each keeps and the counts per
 * rejection reason must be equal.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAW_COLUMNS, type RawColumn } from '../../../../workflow/dataset-schema.js';
import { isValidRow, RejectReason, rowProblems } from '../../../../tasks/core/validate-input/valid-row.js';
import { DuckDbSession, sqlString } from '../../../../local/etl/duckdb-session.js';
import { loadSqlSteps, RAW_TO_SILVER_SQL_DIR } from '../../../../local/etl/sql-steps.js';

const BASE: Record<RawColumn, string> = {
  SHOP_WEEK: '200607', SHOP_DATE: '20060413', SHOP_WEEKDAY: '5', SHOP_HOUR: '17', QUANTITY: '2', SPEND: '1.23',
  PROD_CODE: 'PRD0900001', PROD_CODE_10: 'CL00001', PROD_CODE_20: 'CL00010', PROD_CODE_30: 'CL00100', PROD_CODE_40: 'D00001',
  CUST_CODE: 'CUST0000001', seg_1: 'CT', seg_2: 'DI', BASKET_ID: '994100100532898', BASKET_SIZE: 'M', BASKET_PRICE_SENSITIVITY: 'MM',
  BASKET_TYPE: 'Top Up', BASKET_DOMINANT_MISSION: 'Fresh', STORE_CODE: 'STORE00001', STORE_FORMAT: 'LS', STORE_REGION: 'E02',
};

const NUMBERISH = ['', ' ', '1', ' 3 ', '03', '+3', '-3', '1e2', '1E2', '3.0', '3.', '.5', 'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '0x10', '1_000',
  '\uff13', '3\t', '\t3', '3\n', '99999999999999999999', '1'.repeat(30), '0', '7', '8', '23', '24', '\u00003', '3\u0000', '1,5', '"3"'];
// Values aimed at the shortcuts of 01_typed_lines.sql (a canonical integer passes without the
// regexp; a value starting or ending with a space is trimmed): negatives of the column's width,
// -0, leading zeros, INT and BIGINT overflow, the range edges of a date and a week.
const CANONICAL_EDGES = ['-0', '-1', '-20601', '-200607', '-1234567', '-20060413', '007', '0000000', '2147483647', '2147483648', '-2147483648', '999999999',
  '1000000000', '19000000', '18999999', '29999999', '30000000', '100000', '999999', '99999', '200600', '-9'.padEnd(18, '9'), '9'.repeat(18), '1' + '0'.repeat(18), ' 7', '7 ', '  7  ',
  // Only U+0020 is trimmed (Spark's trim and valid-row.ts); DuckDB's TRIM also strips no-break and ideographic spaces.
  '\u00a07', ' \u00a07', '7\u00a0 ', '\u30007', ' \u3000 7', '\u20037'];
const TEXTISH = ['', ' ', 'ok', ' padded ', 'a\u0000b', '\u0000', 'tab\there', 'del\u007f', 'é', 'x'.repeat(300), 'line\nbreak', 'comma,inside', 'quote"inside', '\ufeffbom'];

const CORPUS: Array<[RawColumn, string]> = [
  ...(['SHOP_WEEK', 'SHOP_DATE', 'SHOP_WEEKDAY', 'SHOP_HOUR', 'QUANTITY', 'SPEND', 'BASKET_ID'] as const).flatMap((column) => CANONICAL_EDGES.map((value): [RawColumn, string] => [column, value])),
  ...(['SHOP_WEEKDAY', 'SHOP_HOUR', 'QUANTITY'] as const).flatMap((column) => NUMBERISH.map((value): [RawColumn, string] => [column, value])),
  ...['200607', '200653', '200654', '200600', '20060', '2006071', ' 200607 ', '2006-07', '-20060', '2006.7', '1e5000', ...NUMBERISH].map((value): [RawColumn, string] => ['SHOP_WEEK', value]),
  ...['20060413', '20060230', '20240229', '20230229', '18991231', '19000101', '29991231', '30000101', '2006-04-13', '2006041', ' 20060413 ', '2006041e', '00000000', ...NUMBERISH]
    .map((value): [RawColumn, string] => ['SHOP_DATE', value]),
  ...['1.23', '0', '0.0', '.5', '5.', '-1', '-0', '-0.5', '1e2', '1.5e3', 'NaN', 'Infinity', '-Infinity', '1'.repeat(21), '1'.repeat(20), '9'.repeat(20), ' 1.5 ', '1.5\u0000',
    '\uff11.\uff15', '1..2', '.', '0x1', ...NUMBERISH].map((value): [RawColumn, string] => ['SPEND', value]),
  ...['994100100532898', '1'.repeat(18), '1'.repeat(19), '-1', '1e5', ' 12 ', '0', ...NUMBERISH].map((value): [RawColumn, string] => ['BASKET_ID', value]),
  ...['S', 's', 'XX', '', ' M ', 'L ', 'XL', 'M\u0000'].map((value): [RawColumn, string] => ['BASKET_SIZE', value]),
  ...['LA', 'MM', 'UM', 'XX', 'la', '', ' UM', 'U M'].map((value): [RawColumn, string] => ['BASKET_PRICE_SENSITIVITY', value]),
  ...['Small Shop', 'Top Up', 'Full Shop', 'XX', 'small shop', 'Top  Up', ' Full Shop ', ''].map((value): [RawColumn, string] => ['BASKET_TYPE', value]),
  ...['Fresh', 'Grocery', 'Mixed', 'Non Food', 'XX', 'NonFood', ''].map((value): [RawColumn, string] => ['BASKET_DOMINANT_MISSION', value]),
  ...['SS', 'MS', 'LS', 'XLS', 'XX', 'xls', ''].map((value): [RawColumn, string] => ['STORE_FORMAT', value]),
  ...['E01', 'W02', 'N03', 'S01', 'XX', 'e01', 'E1', 'E001', 'X01', '', ' E01 ', 'E0\u0000', '\u3000E02 ', '\u00a0E02', ' \u00a0E02'].map((value): [RawColumn, string] => ['STORE_REGION', value]),
  // Every text column but PROD_CODE_20 (the tag): 01_typed_lines.sql checks each one for control characters on its own.
  ...(['PROD_CODE', 'PROD_CODE_10', 'PROD_CODE_30', 'PROD_CODE_40', 'CUST_CODE', 'seg_1', 'seg_2', 'STORE_CODE'] as const).flatMap((column) => TEXTISH.map((value): [RawColumn, string] => [column, value])),
];

function csvField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** Row i of the corpus: the base row with one value replaced, and a tag that finds it in silver. */
function corpusRow(index: number, column: RawColumn, value: string): string[] {
  // PROD_CODE_20 is a line-level column the corpus never varies: it tags the row.
  const row: Record<RawColumn, string> = { ...BASE, BASKET_ID: String(1_000_000 + index), PROD_CODE_20: `TAG${index}` };
  row[column] = value;
  return RAW_COLUMNS.map((name) => row[name]);
}

let session: DuckDbSession;
let kept: Set<number>;
let stats: Record<string, unknown>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pricesense-valid-row-'));
  const path = join(dir, 'corpus.csv');
  const lines = [RAW_COLUMNS.join(','), ...CORPUS.map(([column, value], index) => corpusRow(index, column, value).map(csvField).join(','))];
  writeFileSync(path, lines.join('\n') + '\n');
  session = await DuckDbSession.open();
  const columns = `{${RAW_COLUMNS.map((name) => `'${name}': 'VARCHAR'`).join(', ')}}`;
  await session.run(`CREATE VIEW raw_lines AS SELECT * FROM read_csv(${sqlString(path)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = ${columns})`);
  for (const step of loadSqlSteps(RAW_TO_SILVER_SQL_DIR)) await session.run(`CREATE TEMP TABLE ${step.name} AS ${step.sql}`);
  const rows = await session.rows('SELECT PROD_CODE_20 AS tag FROM silver_lines');
  kept = new Set(rows.map((row) => Number(String(row.tag).slice(3))));
  [stats = {}] = await session.rows('SELECT * FROM silver_stats');
});

afterAll(() => session?.close());

describe('one definition of a valid row (issue 14, cases 8 and 9)', () => {
  it('the corpus holds both kept and rejected values for every column it covers', () => {
    expect({ rows: CORPUS.length > 300, valid: CORPUS.filter(([c, v], i) => isValidRow(corpusRow(i, c, v))).length > 50 }).toEqual({ rows: true, valid: true });
  });

  it('silver keeps exactly the rows ValidateInput accepts', () => {
    const disagreements = CORPUS.map(([column, value], index) => ({ column, value, validator: isValidRow(corpusRow(index, column, value)), silver: kept.has(index) }))
      .filter((entry) => entry.validator !== entry.silver)
      .map((entry) => `${entry.column}=${JSON.stringify(entry.value)} validator ${entry.validator ? 'keeps' : 'rejects'}, silver ${entry.silver ? 'keeps' : 'rejects'}`);
    expect(disagreements).toEqual([]);
  });

  it('counts the same rows under each rejection reason', () => {
    const expected: Record<string, number> = Object.fromEntries(Object.values(RejectReason).map((reason) => [reason, 0]));
    CORPUS.forEach(([column, value], index) => {
      for (const reason of new Set(rowProblems(corpusRow(index, column, value)).map((problem) => problem.reason))) expected[reason]! += 1;
    });
    const counted = Object.fromEntries(Object.values(RejectReason).map((reason) => [reason, Number(stats[reason])]));
    expect(counted).toEqual(expected);
  });

  it.each([
    ['SPEND', 'NaN'],
    ['SPEND', 'Infinity'],
    ['SPEND', '1e2'],
    ['QUANTITY', '0'],
    ['CUST_CODE', 'a\u0000b'],
  ] as const)('rejects %s = %j in the sample and in silver alike', (column, value) => {
    const index = CORPUS.findIndex(([c, v]) => c === column && v === value);
    expect({ validator: isValidRow(corpusRow(index, column, value)), silver: kept.has(index) }).toEqual({ validator: false, silver: false });
  });
});

describe('basket-level columns agree within a basket (issue 14, case 6)', () => {
  it('rejects every line of a BASKET_ID shared by two stores or two labels, keeps consistent baskets, and counts the lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pricesense-basket-'));
    const path = join(dir, 'baskets.csv');
    const line = (basketId: string, changes: Partial<Record<RawColumn, string>>, tag: string) =>
      RAW_COLUMNS.map((name) => ({ ...BASE, BASKET_ID: basketId, PROD_CODE_20: tag, ...changes })[name]).map(csvField).join(',');
    writeFileSync(path, [
      RAW_COLUMNS.join(','),
      line('1', {}, 'ok-1'), line('1', { PROD_CODE: 'PRD2' }, 'ok-2'),
      line('2', { STORE_CODE: 'STORE00001' }, 'store-1'), line('2', { STORE_CODE: 'STORE00002', PROD_CODE: 'PRD2' }, 'store-2'),
      line('3', { BASKET_PRICE_SENSITIVITY: 'LA' }, 'label-1'), line('3', { BASKET_PRICE_SENSITIVITY: 'UM', PROD_CODE: 'PRD2' }, 'label-2'),
    ].join('\n') + '\n');
    const own = await DuckDbSession.open();
    try {
      const columns = `{${RAW_COLUMNS.map((name) => `'${name}': 'VARCHAR'`).join(', ')}}`;
      await own.run(`CREATE VIEW raw_lines AS SELECT * FROM read_csv(${sqlString(path)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = ${columns})`);
      for (const step of loadSqlSteps(RAW_TO_SILVER_SQL_DIR)) await own.run(`CREATE TEMP TABLE ${step.name} AS ${step.sql}`);
      const kept = (await own.rows('SELECT PROD_CODE_20 AS tag FROM silver_lines ORDER BY tag')).map((row) => row.tag);
      const [counts = {}] = await own.rows('SELECT rows_in, rows_valid, inconsistent_basket, rows_out FROM silver_stats');
      expect({ kept, counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])) }).toEqual({
        kept: ['ok-1', 'ok-2'],
        counts: { rows_in: 6, rows_valid: 6, inconsistent_basket: 4, rows_out: 2 },
      });
    } finally {
      own.close();
    }
  });
});
