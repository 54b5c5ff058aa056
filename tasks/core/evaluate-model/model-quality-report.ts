/**
 * The model-quality report a registry entry points to (ModelMetrics.ModelQuality.Statistics):
 * SageMaker's model-quality statistics layout — `multiclass_classification_metrics` with
 * `{value, standard_deviation}` entries and a `confusion_matrix` keyed by true then predicted
 * label — plus pricesense's plain `ModelMetrics` and notes a reader needs to interpret them.
 */
import { LABELS } from '../../../workflow/dataset-schema.js';
import type { EvaluateModelResult, ModelMetrics } from '../../../workflow/payloads.js';
import { flattenMetrics, neverPredictedLabels } from './classification-metrics.js';

export interface ModelQualityReport {
  version: 0;
  dataset: { item_count: number; evaluation_time: string };
  multiclass_classification_metrics: Record<string, unknown> & {
    confusion_matrix: Record<string, Record<string, number>>;
    accuracy: MetricValue;
    macro_f1: MetricValue;
  };
  pricesense: {
    runId: string;
    labels: readonly string[];
    metrics: ModelMetrics;
    baseline: EvaluateModelResult['baseline'];
    improvesOnBaseline: boolean | null;
    notes: string[];
  };
}

interface MetricValue {
  value: number;
  standard_deviation: number;
  /** 95 % interval [low, high] where one is computed (accuracy, macro F1, class precision). */
  confidence_interval_95?: readonly [number, number];
}

export function buildModelQualityReport(input: {
  runId: string;
  metrics: ModelMetrics;
  standardDeviations: Record<string, number>;
  baseline: EvaluateModelResult['baseline'];
  improvesOnBaseline: boolean | null;
  evaluatedAt: Date;
}): ModelQualityReport {
  const { metrics } = input;
  const entries = Object.fromEntries(
    Object.entries(flattenMetrics(metrics)).map(([name, value]) => [name, { value, standard_deviation: input.standardDeviations[name] ?? 0 }]),
  ) as Record<string, MetricValue>;
  const intervals = metrics.intervals95;
  if (intervals) {
    entries.accuracy!.confidence_interval_95 = intervals.accuracy;
    entries.macro_f1!.confidence_interval_95 = intervals.macroF1;
    for (const label of LABELS) entries[`precision_${label}`]!.confidence_interval_95 = intervals.precision[label];
  }
  const confusion = Object.fromEntries(
    LABELS.map((truth, row) => [truth, Object.fromEntries(LABELS.map((guess, column) => [guess, metrics.confusionMatrix[row]?.[column] ?? 0]))]),
  );
  return {
    version: 0,
    dataset: { item_count: metrics.testRows, evaluation_time: input.evaluatedAt.toISOString() },
    multiclass_classification_metrics: {
      confusion_matrix: confusion,
      ...entries,
      accuracy: entries.accuracy!,
      macro_f1: entries.macro_f1!,
    },
    pricesense: {
      runId: input.runId,
      labels: LABELS,
      metrics,
      baseline: input.baseline,
      improvesOnBaseline: input.improvesOnBaseline,
      notes: reportNotes(metrics),
    },
  };
}

function reportNotes(metrics: ModelMetrics): string[] {
  const notes = neverPredictedLabels(metrics).map(
    (label) => `The model never predicted ${label}: its precision is reported as 0 (undefined, 0 of 0 predictions correct).`,
  );
  for (const label of LABELS) {
    if (metrics.support[label] === 0) notes.push(`The test split has no ${label} rows: its recall is reported as 0.`);
  }
  notes.push('confusion_matrix rows are the true label and columns the predicted label; standard_deviation comes from bootstrap resampling of the test rows.');
  if (metrics.intervals95) {
    notes.push(
      'confidence_interval_95: Wilson score interval for accuracy (correct of all test rows) and each class precision (correct of the rows predicted as that class); macro F1: value +- 1.96 bootstrap standard deviations.',
    );
  }
  return notes;
}

/** Reads accuracy and macro F1 back from a report of this layout (the approved model's). */
export function headlineMetricsOf(report: unknown): { accuracy: number; macroF1: number } | null {
  const metrics = (report as { multiclass_classification_metrics?: Record<string, { value?: unknown }> } | null)?.multiclass_classification_metrics;
  const accuracy = metrics?.accuracy?.value;
  const macroF1 = metrics?.macro_f1?.value;
  return typeof accuracy === 'number' && typeof macroF1 === 'number' ? { accuracy, macroF1 } : null;
}
