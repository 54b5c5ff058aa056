import { describe, expect, it } from 'vitest';
import { linePriceRatio, fiscalWeekIndex } from '../../tasks/core/predict/basket-features.js';
import { parseReferencePrices, ReferencePricesUnavailableError, ServedRunReferencePrices } from '../../tasks/core/predict/reference-prices.js';

const TABLE = JSON.stringify({ product: { P1: 2 }, group: { G1: 4 } });
const line = (overrides: Partial<{ prodCode: string; prodCode30: string | null; quantity: number; spend: number }>) => ({
  prodCode: 'P1',
  prodCode10: null,
  prodCode20: null,
  prodCode30: 'G1',
  prodCode40: 'D00001',
  quantity: 1,
  spend: 2,
  ...overrides,
});

describe('linePriceRatio', () => {
  const references = parseReferencePrices(TABLE, 'test');

  it('compares the unit price with the product reference, else the group reference', () => {
    expect(linePriceRatio(line({ spend: 6, quantity: 3 }), references)).toBe(Math.log(1));
    expect(linePriceRatio(line({ prodCode: 'P9', spend: 8 }), references)).toBe(Math.log(2));
  });

  it('leaves a line unpriced when it costs nothing or has no reference', () => {
    expect(linePriceRatio(line({ spend: 0 }), references)).toBeUndefined();
    expect(linePriceRatio(line({ prodCode: 'P9', prodCode30: null }), references)).toBeUndefined();
  });
});

describe('fiscalWeekIndex', () => {
  it('counts weeks across a fiscal year end on a 52-week year', () => {
    expect(fiscalWeekIndex(202701) - fiscalWeekIndex(202652)).toBe(1);
    expect(fiscalWeekIndex(202603) - fiscalWeekIndex(202601)).toBe(2);
  });
});

describe('ServedRunReferencePrices', () => {
  it('reads the table once per served run and again when the run changes', async () => {
    let run = 'r1';
    let now = 0;
    const reads: string[] = [];
    const source = new ServedRunReferencePrices({
      servedRunId: async () => run,
      readRunFile: async (runId) => (reads.push(runId), TABLE),
      ttlMs: 10,
      now: () => now,
    });

    await source.get();
    await source.get();
    run = 'r2';
    await source.get();
    now = 20;
    const prices = await source.get();

    expect(reads).toEqual(['r1', 'r2']);
    expect(prices.product.P1).toBe(2);
  });

  it('fails as unavailable (a 503) with the reason, and reads again on the next call', async () => {
    let fail = true;
    const source = new ServedRunReferencePrices({
      servedRunId: async () => 'r1',
      readRunFile: async () => {
        if (fail) throw new Error('NoSuchKey');
        return TABLE;
      },
    });

    await expect(source.get()).rejects.toThrow(new ReferencePricesUnavailableError('reference prices of run r1 were not read: NoSuchKey'));
    fail = false;
    await expect(source.get()).resolves.toEqual({ product: { P1: 2 }, group: { G1: 4 } });
  });

  it('rejects a table with a price that is not positive', () => {
    expect(() => parseReferencePrices(JSON.stringify({ product: { P1: 0 }, group: {} }), 'of run r1')).toThrow(
      'reference prices of run r1 are unusable: product.P1 is 0: expected a positive price',
    );
  });
});
