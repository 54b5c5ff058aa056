import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbSession } from '../../../local/etl/duckdb-session.js';
import { runRawToSilver } from '../../../local/etl/raw-to-silver.js';
import { runSilverToGold } from '../../../local/etl/silver-to-gold.js';
import { writeRawCsv, type RawRow } from './raw-rows.js';

async function etl(rows: RawRow[]) {
  const dir = mkdtempSync(join(tmpdir(), 'pricesense-etl-rules-'));
  writeRawCsv(join(dir, 'raw.csv'), rows);
  const silverDir = join(dir, 'silver');
  const goldDir = join(dir, 'gold');
  const silver = await runRawToSilver({ rawPath: join(dir, 'raw.csv'), silverDir, runId: 't' });
  const gold = await runSilverToGold({ silverDir, goldDir, runId: 't' });
  const session = await DuckDbSession.open();
  try {
    const baskets = await session.rows(
      `SELECT basket_id, split, label, prior_baskets, prior_spend_mean, prior_items_mean, prior_share_la, prior_share_mm, prior_share_um, weeks_since_last_shop
       FROM read_parquet('${join(goldDir, 'baskets/part-00000.parquet')}') ORDER BY basket_id`,
    );
    return { silver, gold, baskets, goldDir };
  } finally {
    session.close();
  }
}

const C1 = 'CUST0000000001';
const history: RawRow[] = [
  { BASKET_ID: '100', SHOP_WEEK: '202601', SHOP_DATE: '20260330', SHOP_WEEKDAY: '2', BASKET_PRICE_SENSITIVITY: 'LA', SPEND: '1.00', PROD_CODE: 'P1' },
  { BASKET_ID: '100', SHOP_WEEK: '202601', SHOP_DATE: '20260330', SHOP_WEEKDAY: '2', BASKET_PRICE_SENSITIVITY: 'LA', SPEND: '3.00', PROD_CODE: 'P2' },
  { BASKET_ID: '201', SHOP_WEEK: '202602', SHOP_DATE: '20260406', SHOP_WEEKDAY: '2', BASKET_PRICE_SENSITIVITY: 'UM', SPEND: '10.00' },
  { BASKET_ID: '202', SHOP_WEEK: '202602', SHOP_DATE: '20260407', SHOP_WEEKDAY: '3', BASKET_PRICE_SENSITIVITY: 'MM', SPEND: '5.00' },
  { BASKET_ID: '309', SHOP_WEEK: '202603', SHOP_DATE: '20260418', SHOP_WEEKDAY: '7', BASKET_PRICE_SENSITIVITY: 'LA', SPEND: '2.00' },
  { BASKET_ID: '418', SHOP_WEEK: '202603', SHOP_DATE: '20260418', SHOP_WEEKDAY: '7', BASKET_PRICE_SENSITIVITY: 'XX', CUST_CODE: '' },
].map((row) => ({ CUST_CODE: C1, ...row }));

describe('customer history in gold', () => {
  it('gives a customer first basket no history', async () => {
    const { baskets } = await etl(history);
    expect(baskets[0]).toMatchObject({ basket_id: 100, prior_baskets: 0, prior_spend_mean: 0, prior_share_la: 0, weeks_since_last_shop: 0 });
  });

  it('counts only earlier weeks, never other baskets of the same week', async () => {
    const { baskets } = await etl(history);
    const week2 = baskets.filter((row) => row.basket_id === 201 || row.basket_id === 202);
    expect(week2.map((row) => [row.prior_baskets, row.prior_spend_mean, row.prior_items_mean, row.prior_share_la, row.weeks_since_last_shop])).toEqual([
      [1, 4, 2, 1, 1],
      [1, 4, 2, 1, 1],
    ]);
  });

  it('sums every earlier week for a later basket', async () => {
    const { baskets } = await etl(history);
    const row = baskets.find((basket) => basket.basket_id === 309)!;
    expect([row.prior_baskets, row.prior_spend_mean, row.prior_share_la, row.prior_share_mm, row.prior_share_um, row.weeks_since_last_shop]).toEqual([
      3,
      19 / 3,
      1 / 3,
      1 / 3,
      1 / 3,
      1,
    ]);
  });

  it('writes each customer history as of the end of the file for the feature store', async () => {
    const { goldDir } = await etl(history);
    const [, c1] = readFileSync(join(goldDir, 'customer_features/part-00000.csv'), 'utf8').trimEnd().split('\n');
    // Reference prices over the train baskets 100, 201, 202: P1 1.00, P2 3.00, the default product
    // median(10, 5) = 7.5; C1's five lines then have log ratios 0, 0, ln(10/7.5), ln(5/7.5), ln(2/7.5).
    const priorRatioMean = (Math.log(10 / 7.5) + Math.log(5 / 7.5) + Math.log(2 / 7.5)) / 5;
    const [head, ratio] = [c1!.slice(0, c1!.lastIndexOf(',')), Number(c1!.slice(c1!.lastIndexOf(',') + 1))];
    expect(head).toBe(`${C1},2026-04-18T23:59:59Z,4,5.25,1.25,0.5,0.25,0.25,202603`);
    expect(ratio).toBeCloseTo(priorRatioMean, 12);
  });

  it('splits by BASKET_ID modulo 10 and keeps XX baskets out of every split', async () => {
    const { baskets } = await etl(history);
    expect(baskets.map((row) => [row.basket_id, row.split, row.label])).toEqual([
      [100, 'train', 0],
      [201, 'train', 2],
      [202, 'train', 1],
      [309, 'test', 0],
      [418, 'unclassified', null],
    ]);
  });
});

describe('raw -> silver cleaning', () => {
  it('rejects lines with an impossible date, a non-numeric SPEND or an hour out of range, and counts why', async () => {
    const { silver } = await etl([
      { BASKET_ID: '1' },
      { BASKET_ID: '2', SHOP_DATE: '20260230' },
      { BASKET_ID: '3', SPEND: 'abc' },
      { BASKET_ID: '4', SHOP_HOUR: '25' },
      { BASKET_ID: '5' },
    ]);
    expect({ rejected: silver.rowsRejected, reasons: silver.rejected, out: silver.rowsOut }).toEqual({
      rejected: 3,
      reasons: { invalidShopWeek: 0, invalidShopDate: 1, invalidWeekdayOrHour: 1, invalidQuantity: 0, invalidSpend: 1, missingRequiredCode: 0 },
      out: 2,
    });
  });

  it('removes exact duplicate lines but keeps lines that differ in one field', async () => {
    const { silver } = await etl([{ BASKET_ID: '1' }, { BASKET_ID: '1' }, { BASKET_ID: '1', QUANTITY: '2' }]);
    expect({ duplicates: silver.duplicatesRemoved, out: silver.rowsOut }).toEqual({ duplicates: 1, out: 2 });
  });

  // typed_lines holds one row per raw line and duplicates are removed among the valid ones only: every raw line is counted.
  it('counts each copy of a repeated rejected line under its reason, and repeated valid lines as duplicates', async () => {
    const { silver } = await etl([
      { BASKET_ID: '1' }, { BASKET_ID: '1' }, { BASKET_ID: '1' },
      { BASKET_ID: '2', SPEND: 'abc' }, { BASKET_ID: '2', SPEND: 'abc' },
      { BASKET_ID: '3', SHOP_HOUR: '25', SPEND: '-1' }, { BASKET_ID: '3', SHOP_HOUR: '25', SPEND: '-1' },
    ]);
    expect({ rowsIn: silver.counts.rows_in, valid: silver.counts.rows_valid, reasons: silver.rejected, duplicates: silver.duplicatesRemoved, out: silver.rowsOut }).toEqual({
      rowsIn: 7,
      valid: 3,
      reasons: { invalidShopWeek: 0, invalidShopDate: 0, invalidWeekdayOrHour: 2, invalidQuantity: 0, invalidSpend: 4, missingRequiredCode: 0 },
      duplicates: 2,
      out: 1,
    });
  });

  // Duplicates are found among the valid lines by hash, then grouped exactly (03_repeated_lines.sql).
  it('counts a duplicated line of an inconsistent basket once as a duplicate and once as an inconsistent line', async () => {
    const { silver } = await etl([
      { BASKET_ID: '1' }, { BASKET_ID: '1' }, { BASKET_ID: '1', QUANTITY: '2' },
      { BASKET_ID: '2' }, { BASKET_ID: '2' }, { BASKET_ID: '2', STORE_CODE: 'STORE00002', QUANTITY: '3' },
    ]);
    expect({ valid: silver.counts.rows_valid, duplicates: silver.duplicatesRemoved, inconsistent: silver.counts.inconsistent_basket, out: silver.rowsOut }).toEqual({
      valid: 6,
      duplicates: 2,
      inconsistent: 2,
      out: 2,
    });
  });

  it('counts a file whose every line is rejected, writing no silver line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pricesense-etl-rules-'));
    writeRawCsv(join(dir, 'raw.csv'), [{ BASKET_ID: '1', SPEND: 'abc' }, { BASKET_ID: '2', QUANTITY: '0' }]);
    const silver = await runRawToSilver({ rawPath: join(dir, 'raw.csv'), silverDir: join(dir, 'silver'), runId: 't' });
    expect({ rowsIn: silver.rowsIn, rejected: silver.rowsRejected, invalidSpend: silver.rejected.invalidSpend, invalidQuantity: silver.rejected.invalidQuantity, out: silver.rowsOut }).toEqual({
      rowsIn: 2,
      rejected: 2,
      invalidSpend: 1,
      invalidQuantity: 1,
      out: 0,
    });
  });
});

describe('department counts in gold', () => {
  it('counts distinct departments, codes outside D00001..D00008 included, each once', async () => {
    // Basket 500: D00001 twice, D00003, D00010 twice, D00099 -> 4 departments; shares only for D00001..D00008.
    const lines: RawRow[] = [
      { PROD_CODE: 'P1', PROD_CODE_40: 'D00001', SPEND: '1.00' },
      { PROD_CODE: 'P2', PROD_CODE_40: 'D00001', SPEND: '2.00' },
      { PROD_CODE: 'P3', PROD_CODE_40: 'D00003', SPEND: '3.00' },
      { PROD_CODE: 'P4', PROD_CODE_40: 'D00010', SPEND: '4.00' },
      { PROD_CODE: 'P5', PROD_CODE_40: 'D00010', SPEND: '5.00' },
      { PROD_CODE: 'P6', PROD_CODE_40: 'D00099', SPEND: '6.00' },
    ].map((row) => ({ BASKET_ID: '500', ...row }));
    const only: RawRow[] = [{ BASKET_ID: '501', PROD_CODE: 'P7', PROD_CODE_40: 'D00042', SPEND: '1.00' }];
    const { goldDir } = await etl([...lines, ...only]);
    const session = await DuckDbSession.open();
    try {
      const rows = await session.rows(
        `SELECT basket_id, distinct_departments, dept_share_d00001, dept_share_d00003, dept_share_d00002 FROM read_parquet('${join(goldDir, 'baskets/part-00000.parquet')}') ORDER BY basket_id`,
      );
      expect(rows).toEqual([
        { basket_id: 500, distinct_departments: 4, dept_share_d00001: 2 / 6, dept_share_d00003: 1 / 6, dept_share_d00002: 0 },
        { basket_id: 501, distinct_departments: 1, dept_share_d00001: 0, dept_share_d00003: 0, dept_share_d00002: 0 },
      ]);
    } finally {
      session.close();
    }
  });
});
