/**
 * The one definition of a valid raw row. ValidateInput judges its sample with it, and
 * glue-scripts/sql/raw_to_silver (01_typed_lines, 02_valid_lines, 06_silver_stats) implements
 * the same rules in SQL; test/tasks/core/validate-input/valid-row-parity.test.ts runs a corpus of edge values
 * (NaN, Infinity, 1e2, NUL bytes, padding, huge numbers, impossible dates ...) through both and
 * requires the same verdict, so a value is judged the same wherever it sits in the file.
 *
 * Rules, on each value with leading and trailing spaces removed (SQL TRIM):
 *   - digits only where a number is expected (no sign, exponent, NaN or Infinity), with a
 *     bounded length so every engine casts it the same way;
 *   - codes from the schema's lists; ids and product codes present;
 *   - no control characters (U+0000-U+001F, U+007F) in any free-text column.
 * Each rule belongs to one rejection reason; the silver statistics count rows per reason.
 */
import {
  BASKET_MISSIONS,
  BASKET_SIZES,
  BASKET_TYPES,
  LABELS,
  RAW_COLUMNS,
  STORE_FORMATS,
  UNCLASSIFIED,
  type RawColumn,
} from '../../../workflow/dataset-schema.js';

/** Why silver rejects a row; the names are the columns of 06_silver_stats.sql. */
export const RejectReason = {
  InvalidShopWeek: 'invalid_shop_week',
  InvalidShopDate: 'invalid_shop_date',
  InvalidWeekdayOrHour: 'invalid_weekday_or_hour',
  InvalidQuantity: 'invalid_quantity',
  InvalidSpend: 'invalid_spend',
  MissingRequiredCode: 'missing_required_code',
  InvalidCode: 'invalid_code',
  ControlCharacter: 'control_character',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

export interface FieldProblem {
  column: RawColumn;
  value: string;
  /** The expected form, as a phrase: "a whole number from 1 to 7 like 3". */
  expected: string;
  reason: RejectReason;
}

/** SQL TRIM: spaces only (tabs and other whitespace stay, and then fail the rules). */
export function trimSpaces(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) === 0x20) start += 1;
  while (end > start && value.charCodeAt(end - 1) === 0x20) end -= 1;
  return value.slice(start, end);
}

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const withXx = (codes: readonly string[]) => [...new Set([...codes, UNCLASSIFIED])];

interface ColumnRule {
  reason: RejectReason;
  expected: string;
  accepts: (value: string) => boolean;
}

function wholeNumber(min: number, max: number): (value: string) => boolean {
  return (value) => /^[0-9]{1,9}$/.test(value) && Number(value) >= min && Number(value) <= max;
}

function oneOf(codes: readonly string[]): ColumnRule {
  return { reason: RejectReason.InvalidCode, expected: `one of ${codes.map((code) => JSON.stringify(code)).join(', ')}`, accepts: (value) => codes.includes(value) };
}

function present(example: string): ColumnRule {
  return { reason: RejectReason.MissingRequiredCode, expected: example, accepts: (value) => value !== '' };
}

/** Text that may be empty; like every text column it must be free of control characters. */
const FREE_TEXT: ColumnRule = { reason: RejectReason.ControlCharacter, expected: 'text without control characters (or empty)', accepts: () => true };

/** Columns of free text (SQL: the text_ok flag of 01_typed_lines.sql). */
export const TEXT_COLUMNS: ReadonlySet<RawColumn> = new Set<RawColumn>([
  'PROD_CODE', 'PROD_CODE_10', 'PROD_CODE_20', 'PROD_CODE_30', 'PROD_CODE_40', 'CUST_CODE', 'seg_1', 'seg_2', 'STORE_CODE',
]);

function isRealYyyymmdd(value: string): boolean {
  const match = /^((?:19|2[0-9])[0-9]{2})([0-9]{2})([0-9]{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The rule of each column (SQL: 01_typed_lines.sql, one CASE per column). */
export const COLUMN_RULES: Record<RawColumn, ColumnRule> = {
  SHOP_WEEK: {
    reason: RejectReason.InvalidShopWeek,
    expected: 'a year and week YYYYWW like 200607 (week 01-53)',
    accepts: (value) => /^[0-9]{6}$/.test(value) && value.slice(4) >= '01' && value.slice(4) <= '53',
  },
  SHOP_DATE: { reason: RejectReason.InvalidShopDate, expected: 'a real calendar date YYYYMMDD from 1900 to 2999 like 20060413', accepts: isRealYyyymmdd },
  SHOP_WEEKDAY: { reason: RejectReason.InvalidWeekdayOrHour, expected: 'a whole number from 1 to 7 like 3 (1 = Sunday ... 7 = Saturday)', accepts: wholeNumber(1, 7) },
  SHOP_HOUR: { reason: RejectReason.InvalidWeekdayOrHour, expected: 'a whole number from 0 to 23 like 17', accepts: wholeNumber(0, 23) },
  QUANTITY: { reason: RejectReason.InvalidQuantity, expected: 'a whole number from 1 to 999999999 like 2', accepts: wholeNumber(1, 999_999_999) },
  SPEND: {
    reason: RejectReason.InvalidSpend,
    expected: 'a decimal number of at most 20 characters, 0 or more, like 1.23 (no sign, exponent, NaN or Infinity)',
    accepts: (value) => value.length <= 20 && /^([0-9]+([.][0-9]*)?|[.][0-9]+)$/.test(value),
  },
  PROD_CODE: present('a product code like PRD0900001'),
  PROD_CODE_10: FREE_TEXT,
  PROD_CODE_20: FREE_TEXT,
  PROD_CODE_30: FREE_TEXT,
  PROD_CODE_40: present('a department code like D00001'),
  CUST_CODE: FREE_TEXT,
  seg_1: FREE_TEXT,
  seg_2: FREE_TEXT,
  BASKET_ID: {
    reason: RejectReason.MissingRequiredCode,
    expected: 'a basket id of 1-18 digits like 994100100532898',
    accepts: (value) => /^[0-9]{1,18}$/.test(value),
  },
  BASKET_SIZE: oneOf(withXx(BASKET_SIZES)),
  BASKET_PRICE_SENSITIVITY: oneOf(withXx(LABELS)),
  BASKET_TYPE: oneOf(withXx(BASKET_TYPES)),
  BASKET_DOMINANT_MISSION: oneOf(withXx(BASKET_MISSIONS)),
  STORE_CODE: present('a store code like STORE00001'),
  STORE_FORMAT: oneOf(withXx(STORE_FORMATS)),
  STORE_REGION: {
    reason: RejectReason.InvalidCode,
    expected: 'a region code like E01, W02, N03, S01 (or XX)',
    accepts: (value) => /^[ENSW][0-9]{2}$/.test(value) || value === UNCLASSIFIED,
  },
};

/** The problems of one row of 22 fields (empty when the row is valid). */
export function rowProblems(fields: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  RAW_COLUMNS.forEach((column, index) => {
    const value = trimSpaces(fields[index] ?? '');
    const rule = COLUMN_RULES[column];
    if (TEXT_COLUMNS.has(column) && CONTROL_CHARACTER.test(value)) {
      problems.push({ column, value: fields[index] ?? '', expected: 'text without control characters', reason: RejectReason.ControlCharacter });
    }
    if (!rule.accepts(value)) problems.push({ column, value: fields[index] ?? '', expected: rule.expected, reason: rule.reason });
  });
  return problems;
}

export function isValidRow(fields: readonly string[]): boolean {
  return fields.length === RAW_COLUMNS.length && rowProblems(fields).length === 0;
}

/** Longest quoted value in a message; longer ones are cut with a marker. */
export const MAX_QUOTED_CHARS = 200;

/**
 * A value quoted for a message: JSON-quoted, cut to at most MAX_QUOTED_CHARS characters with a
 * marker saying how long it was, so one huge value cannot blow up a cause or a notification.
 */
export function quoteValue(value: string): string {
  const quoted = JSON.stringify(value);
  if (quoted.length <= MAX_QUOTED_CHARS) return quoted;
  const marker = `…" (${value.length} characters, cut)`;
  let head = value.slice(0, MAX_QUOTED_CHARS);
  // Cut the raw value until its quoted form plus the marker fits (escapes can lengthen it).
  while (head.length > 0 && JSON.stringify(head).length - 1 + marker.length > MAX_QUOTED_CHARS) {
    head = head.slice(0, Math.max(0, head.length - Math.max(1, JSON.stringify(head).length - 1 + marker.length - MAX_QUOTED_CHARS)));
  }
  // Do not leave half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return JSON.stringify(head).slice(0, -1) + marker;
}
