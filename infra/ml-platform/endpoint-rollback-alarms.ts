/**
 * The SageMaker endpoint alarms a blue/green UpdateEndpoint watches to roll back: 5xx errors and
 * p95 model latency of the AllTraffic variant. The state machine names them in its auto-rollback
 * configuration; monitoring puts them on the dashboard.
 *
 * Created in the stack's own scope (not a child construct) so the logical IDs stay the deployed ones.
 */
import { Duration, type Stack, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';

export const ROLLBACK_ALARM_NAMES = { endpoint5xx: 'pricesense-endpoint-5xx', endpointP95Latency: 'pricesense-endpoint-p95-latency' } as const;

export function createEndpointRollbackAlarms(stack: Stack, endpointName: string): cloudwatch.Alarm[] {
  const endpointMetric = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({
      namespace: 'AWS/SageMaker',
      metricName,
      dimensionsMap: { EndpointName: endpointName, VariantName: 'AllTraffic' },
      statistic,
      period: Duration.minutes(1),
    });
  const errors = new cloudwatch.Alarm(stack, 'Endpoint5xxAlarm', {
    alarmName: ROLLBACK_ALARM_NAMES.endpoint5xx,
    alarmDescription: 'Endpoint 5xx errors: rolls back a blue/green update',
    metric: endpointMetric('Invocation5XXErrors', 'Sum'),
    threshold: 1,
    evaluationPeriods: 2,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const latency = new cloudwatch.Alarm(stack, 'EndpointLatencyAlarm', {
    alarmName: ROLLBACK_ALARM_NAMES.endpointP95Latency,
    alarmDescription: 'Endpoint p95 ModelLatency above 200 ms: rolls back a blue/green update',
    // ModelLatency is reported in microseconds.
    metric: endpointMetric('ModelLatency', 'p95'),
    threshold: 200_000,
    evaluationPeriods: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  return [errors, latency];
}
