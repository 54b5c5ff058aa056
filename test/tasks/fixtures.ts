import { Readable } from 'node:stream';
/** Builders shared by the task tests: raw CSV files and S3 response bodies. */
import { RAW_COLUMNS } from '../../workflow/dataset-schema.js';

export const RAW_HEADER = RAW_COLUMNS.join(',');

/** One valid raw row; override any column by name. */
export function rawRow(overrides: Partial<Record<(typeof RAW_COLUMNS)[number], string>> = {}): string {
  const values: Record<string, string> = {
    SHOP_WEEK: '200607',
    SHOP_DATE: '20060413',
    SHOP_WEEKDAY: '5',
    SHOP_HOUR: '17',
    QUANTITY: '2',
    SPEND: '1.23',
    PROD_CODE: 'PRD0900001',
    PROD_CODE_10: 'CL00001',
    PROD_CODE_20: 'DEP00001',
    PROD_CODE_30: 'G00001',
    PROD_CODE_40: 'D00001',
    CUST_CODE: 'CUST0000001',
    seg_1: 'CT',
    seg_2: 'DI',
    BASKET_ID: '994100100532898',
    BASKET_SIZE: 'M',
    BASKET_PRICE_SENSITIVITY: 'MM',
    BASKET_TYPE: 'Top Up',
    BASKET_DOMINANT_MISSION: 'Fresh',
    STORE_CODE: 'STORE00001',
    STORE_FORMAT: 'LS',
    STORE_REGION: 'E02',
    ...overrides,
  };
  return RAW_COLUMNS.map((column) => values[column]).join(',');
}

export function rawCsv(rows: string[], header = RAW_HEADER): string {
  return [header, ...rows].join('\n') + '\n';
}

/** The part of an SDK streaming body the tasks use. */
export function s3Body(content: string | Uint8Array) {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  // A Node Readable with the SDK's transform methods, as GetObject's Body is on Lambda.
  return Object.assign(Readable.from([Buffer.from(bytes)]), {
    transformToByteArray: async () => bytes,
    transformToString: async () => new TextDecoder().decode(bytes),
  }) as never;
}
