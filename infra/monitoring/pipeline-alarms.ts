/**
 * Metrics the pipeline does not publish by itself, derived from the state machine's execution log
 * (level ALL): a Fail state entered for a gate, a task failed on feature ingestion.
 */
import { aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ErrorName, StateName } from '../../workflow/names.js';
import { METRICS_NAMESPACE } from '../../workflow/task-environment.js';

export const LogMetric = {
  ModelGateFailures: 'ModelGateFailures',
  DataQualityGateFailures: 'DataQualityGateFailures',
  FeatureIngestionFailures: 'FeatureIngestionFailures',
} as const;

export function createExecutionLogMetrics(scope: Construct, logGroup: logs.ILogGroup): void {
  const failState = (name: string) =>
    logs.FilterPattern.all(logs.FilterPattern.stringValue('$.type', '=', 'FailStateEntered'), logs.FilterPattern.stringValue('$.details.name', '=', name));
  const filter = (id: string, metricName: string, filterPattern: logs.IFilterPattern) =>
    new logs.MetricFilter(scope, id, { logGroup, metricNamespace: METRICS_NAMESPACE, metricName, filterPattern, metricValue: '1', defaultValue: 0 });
  filter('ModelGateFailuresFilter', LogMetric.ModelGateFailures, failState(StateName.ModelBelowThreshold));
  filter('DataQualityGateFailuresFilter', LogMetric.DataQualityGateFailures, failState(StateName.DataQualityFailed));
  filter(
    'FeatureIngestionFailuresFilter',
    LogMetric.FeatureIngestionFailures,
    logs.FilterPattern.all(logs.FilterPattern.stringValue('$.type', '=', 'TaskFailed'), logs.FilterPattern.stringValue('$.details.error', '=', ErrorName.FeatureIngestionFailed)),
  );
}
