import { describe, expect, it } from 'vitest';
import { metricIntervals95, metricsFromConfusionMatrix, wilsonInterval95 } from '../../../../tasks/core/evaluate-model/classification-metrics.js';
import { buildModelQualityReport } from '../../../../tasks/core/evaluate-model/model-quality-report.js';
import { qualityText } from '../../../../local/cli/commands/models.js';

const point = metricsFromConfusionMatrix([
  [40, 5, 5],
  [10, 30, 10],
  [0, 5, 45],
]);
const metrics = { ...point, intervals95: metricIntervals95(point, { macro_f1: 0.02 }) };

describe('model-quality report intervals', () => {
  it('puts the 95 % interval beside accuracy, macro F1 and each class precision', () => {
    const report = buildModelQualityReport({ runId: 'r', metrics, standardDeviations: { macro_f1: 0.02 }, baseline: null, improvesOnBaseline: null, evaluatedAt: new Date(0) });
    const m = report.multiclass_classification_metrics as Record<string, { confidence_interval_95?: readonly number[] }>;

    expect(m.accuracy!.confidence_interval_95).toEqual(wilsonInterval95(115, 150));
    expect(m.precision_MM!.confidence_interval_95).toEqual(wilsonInterval95(30, 40));
    expect(m.macro_f1!.confidence_interval_95).toEqual(metrics.intervals95.macroF1);
    expect(m.recall_MM!.confidence_interval_95).toBeUndefined();
    expect(report.pricesense.notes.some((note) => note.startsWith('confidence_interval_95: Wilson score interval'))).toBe(true);
  });

  it('pricesense models prints each value with its interval', () => {
    const [low, high] = wilsonInterval95(30, 40);

    expect(qualityText(metrics)).toContain(`MM 0.750 [${low.toFixed(3)}, ${high.toFixed(3)}]`);
    expect(qualityText(metrics)).toContain('(95% intervals)');
  });
});
