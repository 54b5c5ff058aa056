/**
 * Multiclass metrics for the three price-sensitivity classes, in LABELS order (LA, MM, UM):
 * confusion matrix (rows = true class, columns = predicted class), accuracy, per-class
 * precision/recall/F1/support and macro F1 (the unweighted mean of the per-class F1 scores).
 * A class that is never predicted has precision 0 and one that never occurs has recall 0: the
 * convention that keeps the metric gate strict instead of dividing by zero.
 */
import { LABELS, type Label } from '../../../workflow/dataset-schema.js';
import type { ClassMetrics, Interval, LabelIndex, MetricIntervals, ModelMetrics } from '../../../workflow/payloads.js';

export const CLASS_COUNT = LABELS.length;

export function confusionMatrix(actual: readonly LabelIndex[], predicted: readonly LabelIndex[]): number[][] {
  if (actual.length !== predicted.length) {
    throw new RangeError(`actual and predicted differ in length: ${actual.length} vs ${predicted.length}`);
  }
  const matrix = LABELS.map(() => LABELS.map(() => 0));
  actual.forEach((truth, index) => {
    matrix[truth]![predicted[index]!]! += 1;
  });
  return matrix;
}

export function metricsFromConfusionMatrix(matrix: readonly (readonly number[])[]): ModelMetrics {
  const cell = (row: number, column: number) => matrix[row]?.[column] ?? 0;
  const indices = LABELS.map((_, index) => index);
  const total = indices.reduce((sum, row) => sum + indices.reduce((rowSum, column) => rowSum + cell(row, column), 0), 0);
  const correct = indices.reduce((sum, index) => sum + cell(index, index), 0);

  const support = indices.map((row) => indices.reduce((sum, column) => sum + cell(row, column), 0));
  const predictedCount = indices.map((column) => indices.reduce((sum, row) => sum + cell(row, column), 0));
  const precision = indices.map((index) => ratio(cell(index, index), predictedCount[index]!));
  const recall = indices.map((index) => ratio(cell(index, index), support[index]!));
  const f1 = indices.map((index) => harmonicMean(precision[index]!, recall[index]!));

  return {
    accuracy: ratio(correct, total),
    macroF1: f1.reduce((sum, value) => sum + value, 0) / CLASS_COUNT,
    precision: byLabel(precision),
    recall: byLabel(recall),
    f1: byLabel(f1),
    confusionMatrix: indices.map((row) => indices.map((column) => cell(row, column))),
    support: byLabel(support),
    testRows: total,
  };
}

export function classificationMetrics(actual: readonly LabelIndex[], predicted: readonly LabelIndex[]): ModelMetrics {
  return metricsFromConfusionMatrix(confusionMatrix(actual, predicted));
}

/** Labels never predicted (their precision is 0 by convention, which the report says). */
export function neverPredictedLabels(metrics: ModelMetrics): Label[] {
  return LABELS.filter((_, column) => metrics.confusionMatrix.every((row) => (row[column] ?? 0) === 0));
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function harmonicMean(a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * a * b) / (a + b);
}

function byLabel(values: number[]): ClassMetrics {
  return { LA: values[0]!, MM: values[1]!, UM: values[2]! };
}

const DEFAULT_BOOTSTRAP_DRAWS = 50_000;

/**
 * Standard deviation of each metric over bootstrap resamples of the rows (the quantity SageMaker's
 * model-quality report gives as `standard_deviation`). Seeded, so a report is reproducible.
 */
export function bootstrapStandardDeviations(
  actual: readonly LabelIndex[],
  predicted: readonly LabelIndex[],
  options: { resamples: number; seed: number; maxDraws?: number },
): Record<string, number> {
  const n = actual.length;
  // m-out-of-n bootstrap: draw at most maxDraws rows per resample and rescale the spread by
  // sqrt(m/n), which keeps a 500k-row test split fast at the same expected standard deviation.
  const draws = Math.min(n, options.maxDraws ?? DEFAULT_BOOTSTRAP_DRAWS);
  const scale = n === 0 ? 0 : Math.sqrt(draws / n);
  const random = mulberry32(options.seed);
  const samples: Record<string, number[]> = {};
  // Resampling rows only changes how often each (true, predicted) pair is counted.
  const pairIndex = actual.map((truth, index) => truth * CLASS_COUNT + predicted[index]!);
  for (let resample = 0; resample < options.resamples; resample += 1) {
    const counts = new Array<number>(CLASS_COUNT * CLASS_COUNT).fill(0);
    for (let draw = 0; draw < draws; draw += 1) counts[pairIndex[Math.floor(random() * n)]!]! += 1;
    const matrix = LABELS.map((_, row) => LABELS.map((__, column) => counts[row * CLASS_COUNT + column]!));
    for (const [name, value] of Object.entries(flattenMetrics(metricsFromConfusionMatrix(matrix)))) {
      (samples[name] ??= []).push(value);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, standardDeviation(values) * scale]));
}

/** The scalar metrics by report name: accuracy, macro_f1, precision_LA, recall_MM, f1_UM ... */
export function flattenMetrics(metrics: ModelMetrics): Record<string, number> {
  const flat: Record<string, number> = { accuracy: metrics.accuracy, macro_f1: metrics.macroF1 };
  for (const label of LABELS) {
    flat[`precision_${label}`] = metrics.precision[label];
    flat[`recall_${label}`] = metrics.recall[label];
    flat[`f1_${label}`] = metrics.f1[label];
  }
  return flat;
}

function standardDeviation(values: number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** z of a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson score interval of a proportion `successes / trials` (95 %). Unlike the plain normal
 * interval it stays inside [0, 1] and is sound near 0 and 1 and for small counts; 0 trials give
 * [0, 1] (nothing is known).
 */
export function wilsonInterval95(successes: number, trials: number): Interval {
  if (trials <= 0) return [0, 1];
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * 95 % intervals of the headline metrics. Accuracy and each class precision are proportions
 * (correct of the test rows; correct of the rows predicted as that class), so a Wilson score
 * interval. Macro F1 is no proportion: value +- 1.96 x its bootstrap standard deviation
 * (`standardDeviations.macro_f1`, from bootstrapStandardDeviations), clipped to [0, 1].
 */
export function metricIntervals95(metrics: ModelMetrics, standardDeviations: Readonly<Record<string, number>>): MetricIntervals {
  const matrix = metrics.confusionMatrix;
  const correct = LABELS.reduce((sum, _, k) => sum + (matrix[k]?.[k] ?? 0), 0);
  const predictedAs = (k: number) => LABELS.reduce((sum, _, row) => sum + (matrix[row]?.[k] ?? 0), 0);
  const f1Spread = Z95 * (standardDeviations.macro_f1 ?? 0);
  return {
    accuracy: wilsonInterval95(correct, metrics.testRows),
    macroF1: [Math.max(0, metrics.macroF1 - f1Spread), Math.min(1, metrics.macroF1 + f1Spread)],
    precision: byLabelInterval(LABELS.map((_, k) => wilsonInterval95(matrix[k]?.[k] ?? 0, predictedAs(k)))),
  };
}

function byLabelInterval(values: Interval[]): Record<Label, Interval> {
  return { LA: values[0]!, MM: values[1]!, UM: values[2]! };
}
