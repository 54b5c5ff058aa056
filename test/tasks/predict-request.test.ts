/**
 * The hand-written /predict request validator against the zod schema it replaced
 * (predict-request-zod-reference.ts): on valid, mutated and arbitrary bodies both must accept the
 * same baskets with the same values, and reject the rest with the same problems in the same order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidBasketRequestError, parseBasketRequest, type BasketRequest } from '../../tasks/core/predict/basket-request.js';
import { validBasket } from '../local/serving/serving-fixtures.js';
import { referenceParse } from './predict-request-zod-reference.js';

type Outcome = { ok: true; basket: BasketRequest } | { ok: false; problems: string[] };

function handWritten(body: unknown): Outcome {
  try {
    return { ok: true, basket: parseBasketRequest(body) };
  } catch (error) {
    if (error instanceof InvalidBasketRequestError) return { ok: false, problems: [...error.problems] };
    throw error;
  }
}

/**
 * The one deliberate difference: zod also ran the item-count rules on an `items` that is not a
 * list but has a length ("" gave "must hold at least one line item" after "expected a list"); the
 * hand-written validator reports only that it is not a list.
 */
function withoutLengthRuleOnNonList(body: unknown, outcome: Outcome): Outcome {
  const items = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).items : undefined;
  if (outcome.ok || Array.isArray(items)) return outcome;
  return { ok: false, problems: outcome.problems.filter((problem) => !/^items (must hold|holds)/.test(problem)) };
}

const BASKET_FIELDS = Object.keys(validBasket());
const ITEM_FIELDS = ['PROD_CODE', 'PROD_CODE_10', 'PROD_CODE_20', 'PROD_CODE_30', 'PROD_CODE_40', 'QUANTITY', 'SPEND'];
const oddValue = fc.oneof(
  fc.constantFrom(null, '', ' ', 'XX', ' M ', 'Top Up ', -1, 0, 1, 7, 23, 24, 1.5, 1e308, -0, 'D00001', ' D00002', 'E01', 'W99', '20060229', '20080229', 20060413, '99999999999999999999', '9223372036854775807', '9223372036854775808', 2 ** 53 + 2, 200653, 200654, 'x'.repeat(65), true, [], {}),
  fc.string({ maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A valid basket with up to four fields of the basket or of its lines replaced or removed. */
const mutatedBasket = fc
  .tuple(
    fc.integer({ min: 0, max: 6 }),
    fc.array(fc.tuple(fc.constantFrom(...BASKET_FIELDS), fc.option(oddValue, { nil: undefined })), { maxLength: 3 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ITEM_FIELDS), fc.option(oddValue, { nil: undefined })), { maxLength: 3 }),
  )
  .map(([lines, basketChanges, itemChanges]) => {
    const template = validBasket().items as Array<Record<string, unknown>>;
    const basket = validBasket({ items: Array.from({ length: lines }, (_, i) => ({ ...template[i % 2]! })) });
    for (const [field, value] of basketChanges) {
      if (value === undefined) delete basket[field];
      else basket[field] = value;
    }
    const items = basket.items;
    if (Array.isArray(items) && items.length > 0) {
      for (const [at, field, value] of itemChanges) {
        const line = items[at % items.length] as Record<string, unknown> | null;
        if (typeof line !== 'object' || line === null || Array.isArray(line)) continue;
        if (value === undefined) delete line[field];
        else line[field] = value;
      }
    }
    return basket;
  });

/** Item lists around the limits, some with a bad line. */
const longBasket = fc.tuple(fc.constantFrom(0, 1, 999, 1000, 1001, 1500), fc.option(fc.nat(), { nil: undefined }), fc.option(oddValue, { nil: undefined })).map(([n, badAt, badLine]) => {
  const line = (validBasket().items as unknown[])[0];
  const items: unknown[] = Array.from({ length: n }, () => line);
  if (badAt !== undefined && n > 0) items[badAt % n] = badLine ?? { ...(line as object), SPEND: -1 };
  return validBasket({ items });
});

describe('parseBasketRequest', () => {
  it('accepts and rejects exactly as the zod schema did, with the same problems, on 6,000 bodies', () => {
    const bodies = [
      ...fc.sample(mutatedBasket, { numRuns: 4000, seed: 11 }),
      ...fc.sample(longBasket, { numRuns: 300, seed: 12 }),
      ...fc.sample(fc.jsonValue({ maxDepth: 4 }), { numRuns: 1700, seed: 13 }),
    ];
    const differences: string[] = [];
    let accepted = 0;
    for (const body of bodies) {
      const expected = withoutLengthRuleOnNonList(body, referenceParse(body));
      const actual = handWritten(body);
      if (expected.ok) accepted += 1;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        differences.push(`${JSON.stringify(body).slice(0, 300)}\n  zod:  ${JSON.stringify(expected).slice(0, 400)}\n  hand: ${JSON.stringify(actual).slice(0, 400)}`);
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
    expect(accepted).toBeGreaterThan(300);
  });

  it('names every bad field of one body, in field order', () => {
    const body = validBasket({ SHOP_HOUR: 24, BASKET_TYPE: 'Big Shop', items: [{ PROD_CODE: 'P1', PROD_CODE_40: 'D1', QUANTITY: 0, SPEND: 1 }] });

    expect(() => parseBasketRequest(body)).toThrow(
      '4 problems: SHOP_HOUR expected a whole number from 0 to 23, got 24; BASKET_TYPE expected one of "Small Shop", "Top Up", "Full Shop", "XX", got "Big Shop"; items[0].PROD_CODE_40 expected a department code like "D00001", got "D1"; items[0].QUANTITY expected a whole number from 1 to 100000, got 0',
    );
  });

  it('reports a missing field as required', () => {
    const body = validBasket();
    delete body.SHOP_WEEKDAY;

    expect(() => parseBasketRequest(body)).toThrow('SHOP_WEEKDAY is required: expected a whole number from 1 to 7 (1 = Sunday)');
  });
});
