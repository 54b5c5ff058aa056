/**
 * The /predict request schema as it was first written in zod (tasks/core/predict/basket-request.ts
 * before the hand-written validator replaced it on the hot path). Kept as the reference the
 * validator is compared with: same accepted baskets, same problems, same order.
 */
import { z } from 'zod';
import { MAX_BASKET_ITEMS, MAX_CODE_LENGTH, type BasketItem, type BasketRequest } from '../../tasks/core/predict/basket-request.js';
import { BASKET_MISSIONS, BASKET_SIZES, BASKET_TYPES, STORE_FORMATS, STORE_REGION_PATTERN } from '../../workflow/dataset-schema.js';

const MAX_QUANTITY = 100_000;
const MAX_LINE_SPEND = 1_000_000;
const MAX_BASKET_ID = 9_223_372_036_854_775_807n;

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A trimmed string; "" and null become null. `required` rejects absent values. */
function text(required: boolean, extra?: { pattern: RegExp; expected: string }) {
  return z.unknown().optional().transform((value, ctx): string | null => {
    if (value === undefined || value === null) {
      if (required) ctx.addIssue({ code: 'custom', message: `is required${extra ? `: expected ${extra.expected}` : ''}` });
      return null;
    }
    if (typeof value !== 'string') {
      ctx.addIssue({ code: 'custom', message: `expected a string${extra ? ` (${extra.expected})` : ''}${required ? '' : ' or null'}, got ${describe(value)}` });
      return null;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      if (required) ctx.addIssue({ code: 'custom', message: `must not be empty${extra ? `: expected ${extra.expected}` : ''}` });
      return null;
    }
    if (trimmed.length > MAX_CODE_LENGTH) {
      ctx.addIssue({ code: 'custom', message: `is ${trimmed.length} characters long, expected at most ${MAX_CODE_LENGTH}` });
      return null;
    }
    if (extra && !extra.pattern.test(trimmed)) {
      ctx.addIssue({ code: 'custom', message: `expected ${extra.expected}, got ${describe(value)}` });
      return null;
    }
    return trimmed;
  });
}

/** One of the dataset's known codes (trimmed); null/"" allowed unless `required`. */
function knownCode(codes: readonly string[], required: boolean) {
  const allowed = new Set(codes);
  const expected = `one of ${codes.map((code) => JSON.stringify(code)).join(', ')}${required ? '' : ' (or null)'}`;
  return z.unknown().optional().transform((value, ctx): string | null => {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (required) ctx.addIssue({ code: 'custom', message: `is required: expected ${expected}` });
      return null;
    }
    if (typeof value !== 'string' || !allowed.has(value.trim())) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${describe(value)}` });
      return null;
    }
    return value.trim();
  });
}

function integer(min: number, max: number, what = '') {
  return z.unknown().transform((value, ctx): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}${what}, got ${describe(value)}` });
      return 0;
    }
    return value;
  });
}

const shopWeek = z.unknown().transform((value, ctx): number => {
  const week = typeof value === 'number' && Number.isInteger(value) ? value % 100 : -1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 190001 || value > 299953 || week < 1 || week > 53) {
    ctx.addIssue({ code: 'custom', message: `expected a fiscal week YYYYWW as a number (WW from 01 to 53, e.g. 200607), got ${describe(value)}` });
    return 0;
  }
  return value;
});

/** SHOP_DATE as in the raw file (YYYYMMDD); an impossible date is rejected, as the SQL's DATE cast does. */
const shopDate = z.unknown().transform((value, ctx): string => {
  const raw = typeof value === 'number' && Number.isInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return `${match[1]}-${match[2]}-${match[3]}`;
    }
  }
  ctx.addIssue({ code: 'custom', message: `expected a real date YYYYMMDD (e.g. "20060413"), got ${describe(value)}` });
  return '';
});

const basketId = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d{1,19}$/.test(value.trim()) && BigInt(value.trim()) <= MAX_BASKET_ID) return BigInt(value.trim()).toString();
  const hint = typeof value === 'number' && Number.isInteger(value) && value > Number.MAX_SAFE_INTEGER ? ' (send ids above 2^53 as a string of digits)' : '';
  ctx.addIssue({ code: 'custom', message: `expected a non-negative whole number or a string of up to 19 digits${hint}, got ${describe(value)}` });
  return '';
});

const spend = z.unknown().transform((value, ctx): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_LINE_SPEND) {
    ctx.addIssue({ code: 'custom', message: `expected a number from 0 to ${MAX_LINE_SPEND} (line spend), got ${describe(value)}` });
    return 0;
  }
  return value;
});

const item = z
  .object(
    {
      PROD_CODE: text(true),
      PROD_CODE_10: text(false),
      PROD_CODE_20: text(false),
      PROD_CODE_30: text(false),
      PROD_CODE_40: text(true, { pattern: /^D\d{5}$/, expected: 'a department code like "D00001"' }),
      QUANTITY: integer(1, MAX_QUANTITY),
      SPEND: spend,
    },
    { error: (issue) => `expected an object {PROD_CODE, PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, QUANTITY, SPEND}, got ${describe(issue.input)}` },
  )
  .transform(
    (line): BasketItem => ({
      prodCode: line.PROD_CODE!,
      prodCode10: line.PROD_CODE_10,
      prodCode20: line.PROD_CODE_20,
      prodCode30: line.PROD_CODE_30,
      prodCode40: line.PROD_CODE_40!,
      quantity: line.QUANTITY,
      spend: line.SPEND,
    }),
  );

const items = z.unknown().pipe(
  z
    .array(item, { error: (issue) => `expected a list of line items, got ${describe(issue.input)}` })
    .min(1, { error: 'must hold at least one line item' })
    .max(MAX_BASKET_ITEMS, { error: (issue) => `holds ${(issue.input as unknown[]).length} line items, at most ${MAX_BASKET_ITEMS} are allowed` }),
);

export const basketRequestSchema = z
  .object(
    {
      SHOP_WEEK: shopWeek,
      SHOP_DATE: shopDate,
      SHOP_WEEKDAY: integer(1, 7, ' (1 = Sunday)'),
      SHOP_HOUR: integer(0, 23),
      CUST_CODE: text(false),
      seg_1: text(false),
      seg_2: text(false),
      BASKET_ID: basketId,
      BASKET_SIZE: knownCode(BASKET_SIZES, false),
      BASKET_TYPE: knownCode(BASKET_TYPES, true),
      BASKET_DOMINANT_MISSION: knownCode(BASKET_MISSIONS, false),
      STORE_CODE: text(true),
      STORE_FORMAT: knownCode(STORE_FORMATS, false),
      STORE_REGION: text(true, { pattern: STORE_REGION_PATTERN, expected: 'a region code like "E01" (E, N, S or W and two digits)' }),
      items,
    },
    { error: (issue) => `expected a JSON object (one basket), got ${describe(issue.input)}` },
  )
  .transform(
    (body): BasketRequest => ({
      shopWeek: body.SHOP_WEEK,
      shopDate: body.SHOP_DATE,
      shopWeekday: body.SHOP_WEEKDAY,
      shopHour: body.SHOP_HOUR,
      customerId: body.CUST_CODE,
      seg1: body.seg_1,
      seg2: body.seg_2,
      basketId: body.BASKET_ID,
      basketSize: body.BASKET_SIZE,
      basketType: body.BASKET_TYPE!,
      basketMission: body.BASKET_DOMINANT_MISSION,
      storeCode: body.STORE_CODE!,
      storeFormat: body.STORE_FORMAT,
      storeRegion: body.STORE_REGION!,
      items: body.items,
    }),
  );


function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out || 'body';
}

/** The zod reference: the basket, or the problems it reported. */
export function referenceParse(body: unknown): { ok: true; basket: BasketRequest } | { ok: false; problems: string[] } {
  const result = basketRequestSchema.safeParse(body, { reportInput: true });
  if (result.success) return { ok: true, basket: result.data };
  const problems = result.error.issues.map((issue) => {
    const missing = issue.path.length > 0 && issue.input === undefined;
    const message = missing && !issue.message.startsWith('is required') ? `is required: ${issue.message.replace(/, got undefined$/, '')}` : issue.message;
    return `${fieldPath(issue.path)} ${message}`;
  });
  return { ok: false, problems };
}
