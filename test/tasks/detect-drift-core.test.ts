import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { binCounts, binIndex, fitFeatureBins, type FeatureBins } from '../../tasks/core/drift/feature-bins.js';
import { measureDrift } from '../../tasks/core/drift/drift-report.js';
import { inferenceTimestampMs, selectInferenceRows } from '../../tasks/core/drift/inference-records.js';
import { binShares, populationStabilityIndex } from '../../tasks/core/drift/psi.js';
import { buildTrainingBaseline, parseTrainingLine, RowReservoir, type TrainingBaseline } from '../../tasks/core/drift/training-baseline.js';

describe('populationStabilityIndex', () => {
  it('is 0 for identical distributions', () => {
    expect(populationStabilityIndex([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
  });

  it('matches the hand-computed value for a 50/50 → 25/75 shift', () => {
    // (0.25-0.5)·ln(0.25/0.5) + (0.75-0.5)·ln(0.75/0.5) = 0.173287 + 0.101366
    expect(populationStabilityIndex([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.274653, 6);
  });

  it('matches the hand-computed value for a three-bin shift', () => {
    // (0.3-0.4)·ln(0.3/0.4) + (0.3-0.4)·ln(0.3/0.4) + (0.4-0.2)·ln(0.4/0.2) = 0.028768·2 + 0.138629
    expect(populationStabilityIndex([0.4, 0.4, 0.2], [0.3, 0.3, 0.4])).toBeCloseTo(0.196166, 6);
  });

  it('floors an empty bin at 1e-4 instead of returning Infinity', () => {
    // (1e-4-0.5)·ln(1e-4/0.5) + (1-0.5)·ln(1/0.5) = (-0.4999)(-8.517193) + 0.5·0.693147 = 4.257745 + 0.346574
    expect(populationStabilityIndex([0.5, 0.5], [0, 1])).toBeCloseTo(4.604319, 5);
  });

  it('rejects bins of different lengths, naming both counts', () => {
    expect(() => populationStabilityIndex([0.5, 0.5], [1])).toThrow('expected has 2 bins, actual has 1');
  });
});

describe('binShares', () => {
  it('turns counts into shares', () => {
    expect(binShares([1, 3, 0])).toEqual([0.25, 0.75, 0]);
  });
});

describe('fitFeatureBins', () => {
  it('bins a feature with few distinct values per value', () => {
    expect(fitFeatureBins([1, 0, 1, 1, Number.NaN])).toEqual({ kind: 'categorical', values: [0, 1] });
  });

  it('uses nearest-rank deciles for a continuous feature', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    expect(fitFeatureBins(values)).toEqual({ kind: 'numeric', edges: [10, 20, 30, 40, 50, 60, 70, 80, 90] });
  });
});

describe('binIndex', () => {
  const numeric: FeatureBins = { kind: 'numeric', edges: [10, 20] };
  const categorical: FeatureBins = { kind: 'categorical', values: [0, 1] };

  it('puts a value equal to an edge in the lower bin', () => {
    expect([binIndex(numeric, 10), binIndex(numeric, 10.5), binIndex(numeric, 25)]).toEqual([0, 1, 2]);
  });

  it('sends missing values to the last bin', () => {
    expect([binIndex(numeric, undefined), binIndex(numeric, Number.NaN)]).toEqual([3, 3]);
  });

  it('sends a categorical value never seen in training to the unseen bin', () => {
    expect(binCounts(categorical, [0, 1, 1, 7, undefined])).toEqual([1, 2, 1, 1]);
  });
});

describe('training baseline', () => {
  it('drops the label column and reads empty fields as missing', () => {
    expect(parseTrainingLine('2,1.5,,3', 3, 1)).toEqual([1.5, Number.NaN, 3]);
  });

  it('names the line and the expected width of a malformed row', () => {
    expect(() => parseTrainingLine('2,1.5', 3, 7)).toThrow('Training CSV line 7 has 2 fields, expected 4');
  });

  it('keeps every row while under capacity and a fixed-size sample beyond it', () => {
    const small = new RowReservoir(10);
    const large = new RowReservoir(10);
    for (let i = 0; i < 5; i += 1) small.add([i]);
    for (let i = 0; i < 1000; i += 1) large.add([i]);

    expect([small.rows.length, large.rows.length, large.seen]).toEqual([5, 10, 1000]);
  });

  it('records the training share of each bin', () => {
    const reservoir = new RowReservoir(100);
    for (const value of [0, 0, 1, 1]) reservoir.add([value]);

    const baseline = buildTrainingBaseline('run-1', ['has_customer'], reservoir);

    expect(baseline.features).toEqual([{ name: 'has_customer', bins: { kind: 'categorical', values: [0, 1] }, expectedShares: [0.5, 0.5, 0, 0] }]);
  });
});

describe('inference records', () => {
  it('reads ISO, epoch-second and epoch-millisecond timestamps', () => {
    expect([inferenceTimestampMs({ S: '2024-01-01T00:00:00.000Z' }), inferenceTimestampMs({ N: '1704067200' }), inferenceTimestampMs({ N: '1704067200000' })]).toEqual([
      1704067200000, 1704067200000, 1704067200000,
    ]);
  });

  it('reads features given as a map, a list or a JSON string and keeps only the window', () => {
    const t = (iso: string) => ({ S: iso });
    const items: Array<Record<string, AttributeValue>> = [
      { timestamp: t('2024-01-01T01:00:00Z'), features: { M: { a: { N: '1' }, b: { N: '2' } } } },
      { timestamp: t('2024-01-01T02:00:00Z'), features: { L: [{ N: '3' }, { N: '4' }] } },
      { timestamp: t('2024-01-01T03:00:00Z'), features: { S: '{"a":5,"b":6}' } },
      { timestamp: t('2023-12-31T23:00:00Z'), features: { M: { a: { N: '9' } } } },
      { timestamp: t('2024-01-01T04:00:00Z'), features: { S: 'not json' } },
    ];

    const selection = selectInferenceRows(items, ['a', 'b'], Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-01-02T00:00:00Z'));

    expect(selection.rows.map((row) => row.values)).toEqual([{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, b: 6 }]);
    expect(selection.unreadable).toBe(1);
  });
});

describe('measureDrift', () => {
  const baseline: TrainingBaseline = {
    runId: 'run-1',
    sampledRows: 4,
    totalRows: 4,
    features: [
      { name: 'has_customer', bins: { kind: 'categorical', values: [0, 1] }, expectedShares: [0.5, 0.5, 0, 0] },
      { name: 'items', bins: { kind: 'numeric', edges: [5] }, expectedShares: [0.5, 0.5, 0] },
    ],
  };
  const row = (hasCustomer: number, items: number) => ({ timestampMs: 0, values: { has_customer: hasCustomer, items } });

  it('reports PSI per feature, the maximum and the features above 0.2', () => {
    const report = measureDrift(baseline, [row(0, 1), row(1, 2), row(1, 9), row(1, 10)], 4);

    expect(report.status).toBe('measured');
    if (report.status !== 'measured') return;
    expect(report.features[0]!.psi).toBeCloseTo(0.274653, 6);
    expect(report.features[1]!.psi).toBe(0);
    expect([report.maxPsiFeature, report.drifted]).toEqual(['has_customer', ['has_customer']]);
  });

  it('publishes nothing below the minimum sample count', () => {
    expect(measureDrift(baseline, [row(0, 1)], 500)).toEqual({ status: 'insufficient-data', runId: 'run-1', samples: 1, minSamples: 500 });
  });
});
