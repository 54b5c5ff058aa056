/**
 * The metric gate's JSONata, built from the configured thresholds: the condition that lets a
 * model through and the cause that explains a rejection with every metric and threshold.
 */
import type { MetricThresholds } from './config.js';
import { LABELS } from './dataset-schema.js';

/** Variable holding the EvaluateModelResult. */
export const EVALUATION_VARIABLE = 'evaluation';

interface GateCheck {
  label: string;
  metric: string;
  threshold: number;
}

export function metricGateChecks(thresholds: MetricThresholds): GateCheck[] {
  const metrics = `$${EVALUATION_VARIABLE}.metrics`;
  return [
    { label: 'accuracy', metric: `${metrics}.accuracy`, threshold: thresholds.accuracy },
    { label: 'macroF1', metric: `${metrics}.macroF1`, threshold: thresholds.macroF1 },
    ...LABELS.map((label) => ({ label: `precision.${label}`, metric: `${metrics}.precision.${label}`, threshold: thresholds.classPrecision })),
  ];
}

/** True when every metric meets its threshold. */
export function metricGateCondition(thresholds: MetricThresholds): string {
  return metricGateChecks(thresholds)
    .map((check) => `${check.metric} >= ${check.threshold}`)
    .join(' and ');
}

/** "accuracy 0.71 < 0.75 (FAILED); macroF1 0.72 >= 0.7; ..." */
export function metricGateCause(thresholds: MetricThresholds): string {
  const parts = metricGateChecks(thresholds).map(
    (check) =>
      `'${check.label} ' & $string(${check.metric}) & (${check.metric} >= ${check.threshold} ? ' >= ${check.threshold}' : ' < ${check.threshold} (FAILED)')`,
  );
  return `'Model below threshold: ' & ${parts.join(` & '; ' & `)}`;
}
