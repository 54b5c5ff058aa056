/**
 * Checks the head of a raw transactions file before any ETL runs: text not binary, CSV not JSON,
 * comma-separated, the exact 22-column header, and a sample of rows whose fields parse. Each
 * problem is one sentence naming the row/column/value and the expected form.
 */
import { createGunzip, constants as zlibConstants } from 'node:zlib';
import { RAW_COLUMNS } from '../../../workflow/dataset-schema.js';
import { CsvSyntaxError, parseCsv, type CsvRecord } from '../shared/csv-records.js';
import { InvalidRawFileError } from '../shared/errors.js';
import { quoteValue, rowProblems } from './valid-row.js';

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
  const headerLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')).replace(/\r$/, '');
  if (headerLine !== RAW_COLUMNS.join(',')) {
    // The names are right but written differently (quoted, padded): Glue and the local ETL read
    // the header line as it is, so accept it nowhere rather than fail at RawToSilver.
    const written = headerLine.split(',');
    const first = Math.max(0, RAW_COLUMNS.findIndex((name, index) => written[index] !== name));
    return reject([
      `the header names must be written bare, without quotes or spaces around them: column ${first + 1} is written ${quoteValue(written[first] ?? '')}; expected exactly ${RAW_COLUMNS.join(',')}`,
    ]);
  }

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

export const NOT_GZIP_PROBLEM = 'the key ends in .gz but the content is not gzip data: expected a gzip-compressed CSV';

async function decodeText(head: RawFileHead, sampleRows: number, reject: (problems: string[]) => never): Promise<string> {
  let bytes = head.bytes;
  let isWhole = head.isWholeObject;
  const looksGzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (head.gzip) {
    if (!looksGzipped) return reject([NOT_GZIP_PROBLEM]);
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
  // TextDecoder drops a leading BOM itself, so look at the bytes.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // Glue's CSV reader and the local ETL take the byte-order mark as part of the first column
    // name: accepted nowhere, with a sentence instead of a failure at RawToSilver.
    return reject(['the file starts with a UTF-8 byte-order mark (U+FEFF): expected the header line to start with SHOP_WEEK; save the CSV as UTF-8 without BOM']);
  }
  return text;
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
    return [`the header has a single column ${quoteValue(only)}: ${expected} separated by ","`];
  }

  const names = fields.map((name) => name.trim());
  const expectedSet = new Set<string>(RAW_COLUMNS);
  const present = new Set(names);
  const problems: string[] = [];

  const seen = new Set<string>();
  const duplicates = names.filter((name) => (seen.has(name) ? true : (seen.add(name), false)));
  if (duplicates.length > 0) problems.push(`duplicate header columns ${listed([...new Set(duplicates)].map(quoteValue))}`);

  const missing = RAW_COLUMNS.filter((column) => !present.has(column));
  const unexpected = names.map((name, index) => ({ name, index })).filter(({ name }) => !expectedSet.has(name));
  const renamed: string[] = [];
  const stillMissing = new Set<string>(missing);
  const stillUnexpected = [];
  for (const found of unexpected) {
    const match = [...stillMissing].find((column) => normalizeName(column) === normalizeName(found.name))
      ?? (names.length === RAW_COLUMNS.length && stillMissing.has(RAW_COLUMNS[found.index]!) ? RAW_COLUMNS[found.index] : undefined);
    if (match !== undefined) {
      renamed.push(`column ${found.index + 1} is ${quoteValue(found.name)} but should be ${JSON.stringify(match)}`);
      stillMissing.delete(match);
    } else {
      stillUnexpected.push(found);
    }
  }
  if (renamed.length > 0) problems.push(`renamed columns: ${listed(renamed)}`);
  if (stillMissing.size > 0) problems.push(`missing columns: ${[...stillMissing].join(', ')}`);
  if (stillUnexpected.length > 0) {
    problems.push(`unexpected columns: ${listed(stillUnexpected.map(({ name, index }) => `${quoteValue(name)} (column ${index + 1})`))}`);
  }
  if (problems.length === 0) {
    const outOfPlace = names.findIndex((name, index) => name !== RAW_COLUMNS[index]);
    if (outOfPlace !== -1) {
      problems.push(`columns are out of order: column ${outOfPlace + 1} is ${names[outOfPlace]} but should be ${RAW_COLUMNS[outOfPlace]}`);
    }
  }
  return problems.length === 0 ? [] : [`the header does not match the schema: ${problems.join('; ')}; ${expected}`];
}

/** Up to 5 items, then how many more: a header of thousands of columns stays one short sentence. */
function listed(items: string[]): string {
  const shown = items.slice(0, 5).join(', ');
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function checkRow(row: CsvRecord, rowNumber: number): string[] {
  const where = `row ${rowNumber} (line ${row.line})`;
  if (row.fields.length !== RAW_COLUMNS.length) {
    return [`${where} has ${row.fields.length} fields: expected ${RAW_COLUMNS.length} comma-separated fields (quote values that contain commas)`];
  }
  // The one definition of a valid row, which the silver SQL implements too (tasks/core/validate-input/valid-row.ts).
  return rowProblems(row.fields).map((problem) => `${where}: ${problem.column} = ${quoteValue(problem.value)} is not valid: expected ${problem.expected}`);
}
