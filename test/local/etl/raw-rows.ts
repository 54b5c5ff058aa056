/** Builds small raw CSV files in the 22-column schema for ETL tests. */
import { writeFileSync } from 'node:fs';
import { RAW_COLUMNS, type RawColumn } from '../../../workflow/dataset-schema.js';

export type RawRow = Partial<Record<RawColumn, string>>;

const DEFAULTS: Record<RawColumn, string> = {
  SHOP_WEEK: '202601',
  SHOP_DATE: '20260330',
  SHOP_WEEKDAY: '2',
  SHOP_HOUR: '10',
  QUANTITY: '1',
  SPEND: '1.00',
  PROD_CODE: 'PRD0900001',
  PROD_CODE_10: 'CL00001',
  PROD_CODE_20: 'DEP00001',
  PROD_CODE_30: 'G00001',
  PROD_CODE_40: 'D00001',
  CUST_CODE: 'CUST0000000001',
  seg_1: 'CT',
  seg_2: 'DI',
  BASKET_ID: '994100000000000',
  BASKET_SIZE: 'S',
  BASKET_PRICE_SENSITIVITY: 'MM',
  BASKET_TYPE: 'Top Up',
  BASKET_DOMINANT_MISSION: 'Fresh',
  STORE_CODE: 'STORE00001',
  STORE_FORMAT: 'LS',
  STORE_REGION: 'E02',
};

export function writeRawCsv(path: string, rows: RawRow[]): void {
  const lines = rows.map((row) => RAW_COLUMNS.map((name) => row[name] ?? DEFAULTS[name]).join(','));
  writeFileSync(path, `${RAW_COLUMNS.join(',')}\n${lines.join('\n')}\n`);
}
