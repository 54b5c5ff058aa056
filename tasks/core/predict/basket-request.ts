/**
 * The /predict request: one basket in the dataset's own column names, so a raw basket converts
 * mechanically. Validated at the boundary by a hand-written single pass (it replaced a zod schema
 * that cost a tenth of /predict's CPU; test/tasks/predict-request.test.ts proves both give the same
 * baskets and the same problems in the same order); each problem names the field (`items[2].SPEND`),
 * what was expected and the value received. Codes and strings are trimmed and "" means absent,
 * as glue-scripts/sql/raw_to_silver/01_typed_lines.sql does (NULLIF(TRIM(x), '')); every line
 * rule of 02_silver_lines.sql (QUANTITY >= 1, SPEND >= 0, required codes) is a 4xx here.
 */
import { BASKET_MISSIONS, BASKET_SIZES, BASKET_TYPES, STORE_FORMATS, STORE_REGION_PATTERN } from '../../../workflow/dataset-schema.js';

/** More lines than any real basket; bounds the work one request can cause. */
export const MAX_BASKET_ITEMS = 1000;
export const MAX_CODE_LENGTH = 64;
const MAX_QUANTITY = 100_000;
const MAX_LINE_SPEND = 1_000_000;
/** BIGINT, as raw_to_silver casts BASKET_ID. */
const MAX_BASKET_ID = 9_223_372_036_854_775_807n;

export interface BasketItem {
  prodCode: string;
  prodCode10: string | null;
  prodCode20: string | null;
  prodCode30: string | null;
  /** Department, e.g. D00001. */
  prodCode40: string;
  quantity: number;
  spend: number;
}

export interface BasketRequest {
  shopWeek: number;
  /** ISO date YYYY-MM-DD. */
  shopDate: string;
  shopWeekday: number;
  shopHour: number;
  /** Loyalty card, null without one. */
  customerId: string | null;
  seg1: string | null;
  seg2: string | null;
  /** Decimal digits: BASKET_ID is a BIGINT, beyond JavaScript's exact integers. */
  basketId: string;
  basketSize: string | null;
  basketType: string;
  basketMission: string | null;
  storeCode: string;
  storeFormat: string | null;
  storeRegion: string;
  items: BasketItem[];
}

/**
 * A short rendering of a bad value that never throws: predictBasket refuses bodies nested more
 * than MAX_JSON_DEPTH levels before parsing, and a value JSON cannot render (a deep structure
 * built in code) is named by its type.
 */
function describe(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return `a ${Array.isArray(value) ? 'list' : typeof value} that cannot be shown`;
  }
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Collects problems as `<field path> <message>`, the way the /predict 400 lists them. */
class Problems {
  readonly list: string[] = [];

  /** A missing field is reported as required, with what was expected. */
  add(path: string, message: string, value: unknown): void {
    const missing = value === undefined && path !== 'body';
    this.list.push(`${path} ${missing && !message.startsWith('is required') ? `is required: ${message.replace(/, got undefined$/, '')}` : message}`);
  }
}

interface TextRule {
  pattern: RegExp;
  expected: string;
}

/** A trimmed string; "" and null become null. `required` rejects absent values. */
function text(problems: Problems, path: string, value: unknown, required: boolean, extra?: TextRule): string | null {
  if (value === undefined || value === null) {
    if (required) problems.add(path, `is required${extra ? `: expected ${extra.expected}` : ''}`, value);
    return null;
  }
  if (typeof value !== 'string') {
    problems.add(path, `expected a string${extra ? ` (${extra.expected})` : ''}${required ? '' : ' or null'}, got ${describe(value)}`, value);
    return null;
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    if (required) problems.add(path, `must not be empty${extra ? `: expected ${extra.expected}` : ''}`, value);
    return null;
  }
  if (trimmed.length > MAX_CODE_LENGTH) {
    problems.add(path, `is ${trimmed.length} characters long, expected at most ${MAX_CODE_LENGTH}`, value);
    return null;
  }
  if (extra && !extra.pattern.test(trimmed)) {
    problems.add(path, `expected ${extra.expected}, got ${describe(value)}`, value);
    return null;
  }
  return trimmed;
}

interface CodeRule {
  allowed: ReadonlySet<string>;
  expected: string;
  required: boolean;
}

function codeRule(codes: readonly string[], required: boolean): CodeRule {
  return { allowed: new Set(codes), expected: `one of ${codes.map((code) => JSON.stringify(code)).join(', ')}${required ? '' : ' (or null)'}`, required };
}

/** One of the dataset's known codes (trimmed); null/"" allowed unless required. */
function knownCode(problems: Problems, path: string, value: unknown, rule: CodeRule): string | null {
  const trimmed = typeof value === 'string' ? value.trim() : undefined;
  if (value === undefined || value === null || trimmed === '') {
    if (rule.required) problems.add(path, `is required: expected ${rule.expected}`, value);
    return null;
  }
  if (trimmed === undefined || !rule.allowed.has(trimmed)) {
    problems.add(path, `expected ${rule.expected}, got ${describe(value)}`, value);
    return null;
  }
  return trimmed;
}

function integer(problems: Problems, path: string, value: unknown, min: number, max: number, what = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.add(path, `expected a whole number from ${min} to ${max}${what}, got ${describe(value)}`, value);
    return 0;
  }
  return value;
}

function shopWeek(problems: Problems, value: unknown): number {
  const week = typeof value === 'number' && Number.isInteger(value) ? value % 100 : -1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 190001 || value > 299953 || week < 1 || week > 53) {
    problems.add('SHOP_WEEK', `expected a fiscal week YYYYWW as a number (WW from 01 to 53, e.g. 200607), got ${describe(value)}`, value);
    return 0;
  }
  return value;
}

const DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})$/;

/** SHOP_DATE as in the raw file (YYYYMMDD); an impossible date is rejected, as the SQL's DATE cast does. */
function shopDate(problems: Problems, value: unknown): string {
  const raw = typeof value === 'number' && Number.isInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = DATE_PATTERN.exec(raw);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return `${match[1]}-${match[2]}-${match[3]}`;
    }
  }
  problems.add('SHOP_DATE', `expected a real date YYYYMMDD (e.g. "20060413"), got ${describe(value)}`, value);
  return '';
}

const BASKET_ID_PATTERN = /^\d{1,19}$/;

function basketId(problems: Problems, value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (BASKET_ID_PATTERN.test(trimmed) && BigInt(trimmed) <= MAX_BASKET_ID) return BigInt(trimmed).toString();
  }
  const hint = typeof value === 'number' && Number.isInteger(value) && value > Number.MAX_SAFE_INTEGER ? ' (send ids above 2^53 as a string of digits)' : '';
  problems.add('BASKET_ID', `expected a non-negative whole number or a string of up to 19 digits${hint}, got ${describe(value)}`, value);
  return '';
}

function spend(problems: Problems, path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_LINE_SPEND) {
    problems.add(path, `expected a number from 0 to ${MAX_LINE_SPEND} (line spend), got ${describe(value)}`, value);
    return 0;
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DEPARTMENT_RULE: TextRule = { pattern: /^D\d{5}$/, expected: 'a department code like "D00001"' };
const REGION_RULE: TextRule = { pattern: STORE_REGION_PATTERN, expected: 'a region code like "E01" (E, N, S or W and two digits)' };
const SIZE_RULE = codeRule(BASKET_SIZES, false);
const TYPE_RULE = codeRule(BASKET_TYPES, true);
const MISSION_RULE = codeRule(BASKET_MISSIONS, false);
const FORMAT_RULE = codeRule(STORE_FORMATS, false);

function item(problems: Problems, index: number, value: unknown): BasketItem | undefined {
  const path = `items[${index}]`;
  if (!isObject(value)) {
    problems.add(path, `expected an object {PROD_CODE, PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, QUANTITY, SPEND}, got ${describe(value)}`, value);
    return undefined;
  }
  const before = problems.list.length;
  const line: BasketItem = {
    prodCode: text(problems, `${path}.PROD_CODE`, value.PROD_CODE, true)!,
    prodCode10: text(problems, `${path}.PROD_CODE_10`, value.PROD_CODE_10, false),
    prodCode20: text(problems, `${path}.PROD_CODE_20`, value.PROD_CODE_20, false),
    prodCode30: text(problems, `${path}.PROD_CODE_30`, value.PROD_CODE_30, false),
    prodCode40: text(problems, `${path}.PROD_CODE_40`, value.PROD_CODE_40, true, DEPARTMENT_RULE)!,
    quantity: integer(problems, `${path}.QUANTITY`, value.QUANTITY, 1, MAX_QUANTITY),
    spend: spend(problems, `${path}.SPEND`, value.SPEND),
  };
  return problems.list.length === before ? line : undefined;
}

function items(problems: Problems, value: unknown): BasketItem[] {
  if (!Array.isArray(value)) {
    problems.add('items', `expected a list of line items, got ${describe(value)}`, value);
    return [];
  }
  // The count is checked first: an oversized list is refused without looking at its lines.
  if (value.length < 1) problems.add('items', 'must hold at least one line item', value);
  else if (value.length > MAX_BASKET_ITEMS) problems.add('items', `holds ${value.length} line items, at most ${MAX_BASKET_ITEMS} are allowed`, value);
  if (value.length < 1 || value.length > MAX_BASKET_ITEMS) return [];
  const out: BasketItem[] = new Array<BasketItem>(value.length);
  for (let i = 0; i < value.length; i++) out[i] = item(problems, i, value[i])!;
  return out;
}

/** A request that cannot be scored; `problems` name each bad field. Answered with a 4xx. */
export class InvalidBasketRequestError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly status = 400,
  ) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? '; ...' : ''}`);
    this.name = 'InvalidBasketRequestError';
  }
}

/** Validates a parsed JSON body; throws InvalidBasketRequestError naming every bad field. */
export function parseBasketRequest(body: unknown): BasketRequest {
  const problems = new Problems();
  if (!isObject(body)) {
    problems.add('body', `expected a JSON object (one basket), got ${describe(body)}`, body);
    throw new InvalidBasketRequestError(problems.list);
  }
  // Fields in the order the problems are listed.
  const basket: BasketRequest = {
    shopWeek: shopWeek(problems, body.SHOP_WEEK),
    shopDate: shopDate(problems, body.SHOP_DATE),
    shopWeekday: integer(problems, 'SHOP_WEEKDAY', body.SHOP_WEEKDAY, 1, 7, ' (1 = Sunday)'),
    shopHour: integer(problems, 'SHOP_HOUR', body.SHOP_HOUR, 0, 23),
    customerId: text(problems, 'CUST_CODE', body.CUST_CODE, false),
    seg1: text(problems, 'seg_1', body.seg_1, false),
    seg2: text(problems, 'seg_2', body.seg_2, false),
    basketId: basketId(problems, body.BASKET_ID),
    basketSize: knownCode(problems, 'BASKET_SIZE', body.BASKET_SIZE, SIZE_RULE),
    basketType: knownCode(problems, 'BASKET_TYPE', body.BASKET_TYPE, TYPE_RULE)!,
    basketMission: knownCode(problems, 'BASKET_DOMINANT_MISSION', body.BASKET_DOMINANT_MISSION, MISSION_RULE),
    storeCode: text(problems, 'STORE_CODE', body.STORE_CODE, true)!,
    storeFormat: knownCode(problems, 'STORE_FORMAT', body.STORE_FORMAT, FORMAT_RULE),
    storeRegion: text(problems, 'STORE_REGION', body.STORE_REGION, true, REGION_RULE)!,
    items: items(problems, body.items),
  };
  if (problems.list.length > 0) throw new InvalidBasketRequestError(problems.list);
  return basket;
}
