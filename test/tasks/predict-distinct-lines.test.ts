import fc from 'fast-check';
import { expect, it } from 'vitest';
import { distinctLines } from '../../tasks/core/predict/basket-features.js';
import type { BasketItem } from '../../tasks/core/predict/basket-request.js';

/** silver's SELECT DISTINCT over the line columns, written the obvious way. */
function referenceDistinct(items: BasketItem[]): BasketItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify([item.prodCode, item.prodCode10 ?? '', item.prodCode20 ?? '', item.prodCode30 ?? '', item.prodCode40, item.quantity, item.spend]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// A small pool of values so that lists hold many exact and near duplicates.
const line: fc.Arbitrary<BasketItem> = fc.record({
  prodCode: fc.constantFrom('P1', 'P2'),
  prodCode10: fc.constantFrom(null, 'C1'),
  prodCode20: fc.constantFrom(null, 'G1'),
  prodCode30: fc.constant(null),
  prodCode40: fc.constantFrom('D00001', 'D00002'),
  quantity: fc.constantFrom(1, 2),
  spend: fc.constantFrom(0, -0, 1.5),
});

it('keeps the first of each exact duplicate line, in order, for short and long baskets', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 60 }), (items) => {
      expect(distinctLines(items)).toEqual(referenceDistinct(items));
    }),
    { numRuns: 2000, seed: 5 },
  );
});
