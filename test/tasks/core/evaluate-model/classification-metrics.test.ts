import { describe, expect, it } from 'vitest';
import {
  bootstrapStandardDeviations,
  classificationMetrics,
  confusionMatrix,
  metricIntervals95,
  metricsFromConfusionMatrix,
  neverPredictedLabels,
  wilsonInterval95,
} from '../../../../tasks/core/evaluate-model/classification-metrics.js';
import type { LabelIndex } from '../../../../workflow/payloads.js';

// Rows = true LA, MM, UM; columns = predicted. Hand-computed below.
const KNOWN = [
  [5, 2, 1],
  [1, 6, 1],
  [0, 2, 4],
];

function rowsOf(matrix: number[][]): { actual: LabelIndex[]; predicted: LabelIndex[] } {
  const actual: LabelIndex[] = [];
  const predicted: LabelIndex[] = [];
  matrix.forEach((row, truth) =>
    row.forEach((count, guess) => {
      for (let i = 0; i < count; i += 1) {
        actual.push(truth as LabelIndex);
        predicted.push(guess as LabelIndex);
      }
    }),
  );
  return { actual, predicted };
}

describe('classification metrics on a known confusion matrix', () => {
  const metrics = metricsFromConfusionMatrix(KNOWN);

  it('accuracy = 15 correct of 22', () => {
    expect(metrics.accuracy).toBeCloseTo(15 / 22, 12);
  });

  it('precision = diagonal / predicted count per class (6, 10, 6 predictions)', () => {
    expect(metrics.precision.LA).toBeCloseTo(5 / 6, 12);
    expect(metrics.precision.MM).toBeCloseTo(6 / 10, 12);
    expect(metrics.precision.UM).toBeCloseTo(4 / 6, 12);
  });

  it('recall = diagonal / support per class (8, 8, 6 rows)', () => {
    expect(metrics.recall).toEqual({ LA: 5 / 8, MM: 6 / 8, UM: 4 / 6 });
    expect(metrics.support).toEqual({ LA: 8, MM: 8, UM: 6 });
  });

  it('F1 = 2TP / (2TP + FP + FN): 10/14, 12/18, 8/12', () => {
    expect(metrics.f1.LA).toBeCloseTo(10 / 14, 12);
    expect(metrics.f1.MM).toBeCloseTo(12 / 18, 12);
    expect(metrics.f1.UM).toBeCloseTo(8 / 12, 12);
  });

  it('macro F1 = mean of the class F1 scores = 43/63', () => {
    expect(metrics.macroF1).toBeCloseTo(43 / 63, 12);
  });

  it('builds the same confusion matrix from rows', () => {
    const { actual, predicted } = rowsOf(KNOWN);

    expect(confusionMatrix(actual, predicted)).toEqual(KNOWN);
    expect(classificationMetrics(actual, predicted).testRows).toBe(22);
  });
});

describe('classes that are never predicted or never occur', () => {
  const metrics = metricsFromConfusionMatrix([
    [3, 1, 0],
    [0, 2, 0],
    [1, 1, 0],
  ]);

  it('a class never predicted has precision 0 and F1 0', () => {
    expect(metrics.precision.UM).toBe(0);
    expect(metrics.f1.UM).toBe(0);
    expect(neverPredictedLabels(metrics)).toEqual(['UM']);
  });

  it('a class with no rows has recall 0', () => {
    const noUm = metricsFromConfusionMatrix([
      [2, 0, 1],
      [0, 2, 0],
      [0, 0, 0],
    ]);

    expect(noUm.recall.UM).toBe(0);
    expect(noUm.support.UM).toBe(0);
  });
});

describe('bootstrapStandardDeviations', () => {
  it('is 0 for a perfect model (every resample scores 1)', () => {
    const { actual } = rowsOf(KNOWN);

    expect(bootstrapStandardDeviations(actual, actual, { resamples: 10, seed: 1 }).accuracy).toBe(0);
  });

  it('is reproducible for a seed and near the binomial standard error for accuracy', () => {
    const { actual, predicted } = rowsOf(KNOWN);

    const first = bootstrapStandardDeviations(actual, predicted, { resamples: 200, seed: 7 });
    const second = bootstrapStandardDeviations(actual, predicted, { resamples: 200, seed: 7 });

    expect(first).toEqual(second);
    const binomial = Math.sqrt(((15 / 22) * (7 / 22)) / 22);
    expect(first.accuracy).toBeGreaterThan(binomial * 0.7);
    expect(first.accuracy).toBeLessThan(binomial * 1.3);
  });
});

describe('bootstrapStandardDeviations with fewer draws than rows', () => {
  it('rescales an m-out-of-n bootstrap to the full-sample standard deviation', () => {
    const actual: LabelIndex[] = [];
    const predicted: LabelIndex[] = [];
    for (let i = 0; i < 4000; i += 1) {
      actual.push((i % 3) as LabelIndex);
      predicted.push((i % 4 === 0 ? (i + 1) % 3 : i % 3) as LabelIndex);
    }

    const full = bootstrapStandardDeviations(actual, predicted, { resamples: 150, seed: 3, maxDraws: 4000 });
    const subsampled = bootstrapStandardDeviations(actual, predicted, { resamples: 150, seed: 3, maxDraws: 1000 });

    expect(subsampled.accuracy! / full.accuracy!).toBeGreaterThan(0.75);
    expect(subsampled.accuracy! / full.accuracy!).toBeLessThan(1.25);
  });
});

describe('wilsonInterval95', () => {
  it('gives the textbook Wilson score bounds', () => {
    const half = wilsonInterval95(50, 100);
    const none = wilsonInterval95(0, 10);
    const all = wilsonInterval95(10, 10);

    expect([half[0].toFixed(4), half[1].toFixed(4)]).toEqual(['0.4038', '0.5962']);
    expect([none[0], none[1].toFixed(4)]).toEqual([0, '0.2775']);
    expect([all[0].toFixed(4), all[1].toFixed(4)]).toEqual(['0.7225', '1.0000']);
  });

  it('knows nothing of a proportion of zero trials', () => {
    expect(wilsonInterval95(0, 0)).toEqual([0, 1]);
  });
});

describe('metricIntervals95', () => {
  it('brackets accuracy and each precision by Wilson, and macro F1 by 1.96 bootstrap standard deviations', () => {
    const metrics = metricsFromConfusionMatrix([
      [40, 5, 5],
      [10, 30, 10],
      [0, 5, 45],
    ]);

    const intervals = metricIntervals95(metrics, { macro_f1: 0.02 });

    expect(intervals.accuracy).toEqual(wilsonInterval95(115, 150));
    expect(intervals.precision.MM).toEqual(wilsonInterval95(30, 40));
    expect(intervals.precision.LA).toEqual(wilsonInterval95(40, 50));
    expect(intervals.macroF1[0]).toBeCloseTo(metrics.macroF1 - 1.96 * 0.02, 3);
    expect(intervals.macroF1[1]).toBeCloseTo(metrics.macroF1 + 1.96 * 0.02, 3);
  });
});
