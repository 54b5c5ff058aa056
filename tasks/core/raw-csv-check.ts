/**
 * Checks the head of a raw transactions file before any ETL runs: text not binary, CSV not JSON,
 * comma-separated, the exact 22-column header, and a sample of rows whose fields parse. Each
 * problem is one sentence naming the row/column/value and the expected form.
 */
import { createGunzip, constants as zlibConstants } from 'node:zlib';
import {
  BASKET_MISSIONS,
  BASKET_SIZES,
  BASKET_TYPES,
  LABELS,
  RAW_COLUMNS,
  STORE_FORMATS,
  STORE_REGION_PATTERN,
  UNCLASSIFIED,
  type RawColumn,
} from '../../workflow/dataset-schema.js';
import { CsvSyntaxError, parseCsv, type CsvRecord } from './csv-records.js';
import { InvalidRawFileError } from './errors.js';

export interface RawFileHead {
  /** s3:// URI of the object, used in messages. */
  uri: string;
  /** The first bytes of the object (possibly all of it). */
  bytes: Uint8Array;
  /** True when `bytes` is the whole object, so the last line is complete. */
  isWholeObject: boolean;
  /** The key ends in `.gz`: the bytes are gzip data. */
  gzip: boolean;
}

export interface RawCheckSummary {
  /** Data rows that were checked. */
  sampledRows: number;
}

/** How many problems a rejection lists before summarising the rest as a count. */
const MAX_LISTED_PROBLEMS = 8;
/** A dunnhumby line is about 150 bytes; read generously so a sample is rarely cut short. */
const HEADER_ALLOWANCE_BYTES = 64 * 1024;
const BYTES_PER_SAMPLED_ROW = 1024;

/** Bytes to fetch from the head of an object so that `sampleRows` rows are very likely inside. */
export function sampleByteCount(objectSize: number, sampleRows: number): number {
  return Math.min(objectSize, HEADER_ALLOWANCE_BYTES + sampleRows * BYTES_PER_SAMPLED_ROW);
}

export async function checkRawCsvHead(head: RawFileHead, sampleRows: number): Promise<RawCheckSummary> {
  const reject = (problems: string[]): never => {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    const more = problems.length > listed.length ? ` (and ${problems.length - listed.length} more problems)` : '';
    throw new InvalidRawFileError(`Rejected ${head.uri}: ${listed.join('; ')}${more}`, problems);
  };

  const text = await decodeText(head, sampleRows, reject);
  if (text.trim() === '') return reject(['the file holds no text: expected a CSV header line followed by data rows']);
  const firstChar = text.trimStart()[0];
  if (firstChar === '{' || firstChar === '[') {
    return reject([
      `the file looks like JSON (starts with ${JSON.stringify(firstChar)}): expected CSV text whose first line is the header ${RAW_COLUMNS.join(',')}`,
    ]);
  }

  let parsed;
  try {
    // The header plus the sample; a ranged read's cut-off record may follow, and is dropped below.
    parsed = parseCsv(text, ',', sampleRows + 2);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return reject([`malformed CSV quoting at ${error.message}`]);
    throw error;
  }
  const [header, ...rows] = parsed.records;
  if (!header) return reject(['the file has no header line: expected ' + RAW_COLUMNS.join(',')]);
  const headerProblems = checkHeader(header.fields);
  if (headerProblems.length > 0) return reject(headerProblems);

  const complete = head.isWholeObject && parsed.records.length < sampleRows + 2;
  if (parsed.unterminatedQuoteLine !== null && complete) {
    return reject([`the quoted field opened on line ${parsed.unterminatedQuoteLine} is never closed: expected a closing quote (")`]);
  }
  if (rows.length === 0) {
    return reject(
      head.isWholeObject
        ? ['the file has a header but no data rows: expected at least one transaction row after the header']
        : [`no complete data row within the first ${head.bytes.length} bytes: expected rows of 22 comma-separated fields`],
    );
  }

  const sample = rows.slice(0, sampleRows);
  const problems = sample.flatMap((row, index) => checkRow(row, index + 1));
  if (problems.length > 0) return reject(problems);
  return { sampledRows: sample.length };
}

async function decodeText(head: RawFileHead, sampleRows: number, reject: (problems: string[]) => never): Promise<string> {
  let bytes = head.bytes;
  let isWhole = head.isWholeObject;
  const looksGzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (head.gzip) {
    if (!looksGzipped) return reject(['the key ends in .gz but the content is not gzip data: expected a gzip-compressed CSV']);
    try {
      const inflated = await gunzipHead(bytes, sampleByteCount(Number.MAX_SAFE_INTEGER, sampleRows));
      bytes = inflated.bytes;
      isWhole = isWhole && !inflated.truncated;
    } catch (error) {
      return reject([`the gzip data is corrupt (${(error as Error).message}): expected a gzip-compressed CSV`]);
    }
  } else if (looksGzipped) {
    return reject(['the content is gzip-compressed but the key ends in .csv: name it .csv.gz or upload it uncompressed']);
  }

  const nul = bytes.indexOf(0);
  if (nul !== -1) return reject([`the file is binary (NUL byte at offset ${nul}): expected UTF-8 CSV text`]);

  if (!isWhole) {
    // A line feed never occurs inside a multi-byte UTF-8 character, so cutting after the last one
    // drops the partial line and any partial character together.
    const lastLineFeed = bytes.lastIndexOf(0x0a);
    if (lastLineFeed === -1) {
      return reject([`no line break within the first ${bytes.length} bytes: expected a CSV header line of the 22 columns`]);
    }
    bytes = bytes.subarray(0, lastLineFeed + 1);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return reject(['the file is not valid UTF-8 text: expected UTF-8 CSV text']);
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Inflates at most `limit` bytes of a gzip stream. SYNC_FLUSH lets a ranged read (a truncated
 * stream) inflate as far as it goes; the limit keeps a highly compressed file from filling memory.
 */
function gunzipHead(compressed: Uint8Array, limit: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(chunks), truncated });
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= limit) {
        finish(true);
        gunzip.destroy();
      }
    });
    gunzip.on('end', () => finish(false));
    gunzip.on('error', (error) => {
      if (!done) reject(error);
    });
    gunzip.end(compressed);
  });
}

const OTHER_DELIMITERS = [';', '\t', '|'] as const;

function checkHeader(fields: string[]): string[] {
  const expected = `expected the 22 columns ${RAW_COLUMNS.join(',')}`;
  if (fields.length === 1) {
    const only = fields[0]!;
    const other = OTHER_DELIMITERS.find((delimiter) => only.split(delimiter).length >= 2);
    if (other !== undefined) {
      return [
        `the file is not comma-separated: the header has no commas but splits on ${JSON.stringify(other)} into ${only.split(other).length} fields; ${expected} separated by ","`,
      ];
    }
    return [`the header has a single column ${JSON.stringify(only)}: ${expected} separated by ","`];
  }

  const names = fields.map((name) => name.trim());
  const expectedSet = new Set<string>(RAW_COLUMNS);
  const present = new Set(names);
  const problems: string[] = [];

  const seen = new Set<string>();
  const duplicates = names.filter((name) => (seen.has(name) ? true : (seen.add(name), false)));
  if (duplicates.length > 0) problems.push(`duplicate header columns ${[...new Set(duplicates)].join(', ')}`);

  const missing = RAW_COLUMNS.filter((column) => !present.has(column));
  const unexpected = names.map((name, index) => ({ name, index })).filter(({ name }) => !expectedSet.has(name));
  const renamed: string[] = [];
  const stillMissing = new Set<string>(missing);
  const stillUnexpected = [];
  for (const found of unexpected) {
    const match = [...stillMissing].find((column) => normalizeName(column) === normalizeName(found.name))
      ?? (names.length === RAW_COLUMNS.length && stillMissing.has(RAW_COLUMNS[found.index]!) ? RAW_COLUMNS[found.index] : undefined);
    if (match !== undefined) {
      renamed.push(`column ${found.index + 1} is ${JSON.stringify(found.name)} but should be ${JSON.stringify(match)}`);
      stillMissing.delete(match);
    } else {
      stillUnexpected.push(found);
    }
  }
  if (renamed.length > 0) problems.push(`renamed columns: ${renamed.join(', ')}`);
  if (stillMissing.size > 0) problems.push(`missing columns: ${[...stillMissing].join(', ')}`);
  if (stillUnexpected.length > 0) {
    problems.push(`unexpected columns: ${stillUnexpected.map(({ name, index }) => `${JSON.stringify(name)} (column ${index + 1})`).join(', ')}`);
  }
  if (problems.length === 0) {
    const outOfPlace = names.findIndex((name, index) => name !== RAW_COLUMNS[index]);
    if (outOfPlace !== -1) {
      problems.push(`columns are out of order: column ${outOfPlace + 1} is ${names[outOfPlace]} but should be ${RAW_COLUMNS[outOfPlace]}`);
    }
  }
  return problems.length === 0 ? [] : [`the header does not match the schema: ${problems.join('; ')}; ${expected}`];
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

type FieldCheck = (value: string) => string | null;

const withXx = (codes: readonly string[]) => [...new Set([...codes, UNCLASSIFIED])];

function oneOf(codes: readonly string[]): FieldCheck {
  return (value) => (codes.includes(value) ? null : `one of ${codes.map((code) => JSON.stringify(code)).join(', ')}`);
}

function integerIn(min: number, max: number, example: string): FieldCheck {
  return (value) => {
    const number = Number(value);
    return /^\d+$/.test(value) && number >= min && number <= max ? null : `a whole number from ${min} to ${max} like ${example}`;
  };
}

const FIELD_CHECKS: Partial<Record<RawColumn, FieldCheck>> = {
  SHOP_WEEK: (value) => {
    const week = Number(value.slice(4));
    return /^\d{6}$/.test(value) && week >= 1 && week <= 53 ? null : 'a year and week YYYYWW like 200607 (week 01-53)';
  },
  SHOP_DATE: (value) => (isRealYyyymmdd(value) ? null : 'a real calendar date YYYYMMDD like 20060413'),
  SHOP_WEEKDAY: integerIn(1, 7, '3 (1 = Sunday ... 7 = Saturday)'),
  SHOP_HOUR: integerIn(0, 23, '17'),
  QUANTITY: (value) => (/^-?\d+$/.test(value) ? null : 'a whole number like 2'),
  SPEND: (value) => (/^-?(\d+(\.\d*)?|\.\d+)$/.test(value) ? null : 'a decimal number like 1.23'),
  PROD_CODE: (value) => (value !== '' ? null : 'a product code like PRD0900001'),
  BASKET_ID: (value) => (value !== '' ? null : 'a basket id like 994100100532898'),
  STORE_CODE: (value) => (value !== '' ? null : 'a store code like STORE00001'),
  BASKET_SIZE: oneOf(withXx(BASKET_SIZES)),
  BASKET_PRICE_SENSITIVITY: oneOf(withXx(LABELS)),
  BASKET_TYPE: oneOf(withXx(BASKET_TYPES)),
  BASKET_DOMINANT_MISSION: oneOf(withXx(BASKET_MISSIONS)),
  STORE_FORMAT: oneOf(withXx(STORE_FORMATS)),
  STORE_REGION: (value) => (STORE_REGION_PATTERN.test(value) || value === UNCLASSIFIED ? null : 'a region code like E01, W02, N03, S01 (or XX)'),
};

function checkRow(row: CsvRecord, rowNumber: number): string[] {
  const where = `row ${rowNumber} (line ${row.line})`;
  if (row.fields.length !== RAW_COLUMNS.length) {
    return [`${where} has ${row.fields.length} fields: expected ${RAW_COLUMNS.length} comma-separated fields (quote values that contain commas)`];
  }
  const problems: string[] = [];
  RAW_COLUMNS.forEach((column, index) => {
    const check = FIELD_CHECKS[column];
    const value = row.fields[index]!;
    const expected = check?.(value);
    if (expected) problems.push(`${where}: ${column} = ${JSON.stringify(value)} is not valid: expected ${expected}`);
  });
  return problems;
}

function isRealYyyymmdd(value: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
