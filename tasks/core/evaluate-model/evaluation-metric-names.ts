/**
 * Names of the custom CloudWatch metrics EvaluateModel publishes (namespace METRICS_NAMESPACE,
 * dimension `service` = evaluate-model). Dashboards and alarms refer to these.
 */
import type { Label } from '../../../workflow/dataset-schema.js';

export const EvaluationMetric = {
  Accuracy: 'ModelAccuracy',
  MacroF1: 'ModelMacroF1',
} as const;

export function classPrecisionMetric(label: Label): string {
  return `ModelPrecision${label}`;
}
