/**
 * Operations view of pricesense: one CloudWatch dashboard and the alarms that notify the SNS topic.
 * The endpoint alarms are the ones the blue/green rollout already uses for auto-rollback; they are
 * passed in and get the SNS action here rather than being duplicated.
 */
import { Duration, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_logs as logs, aws_sns as sns, aws_sqs as sqs, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { PipelineConfig } from '../../workflow/config.js';
import { LABELS } from '../../workflow/dataset-schema.js';
import { StateName } from '../../workflow/names.js';
import { TaskFunction } from '../../workflow/resource-names.js';
import { METRICS_NAMESPACE } from '../../workflow/task-environment.js';
import { classPrecisionMetric, EvaluationMetric } from '../../tasks/core/evaluate-model/evaluation-metric-names.js';
import { DriftMetric } from '../../tasks/core/drift/drift-metric-names.js';
import { createExecutionLogMetrics, LogMetric } from './pipeline-alarms.js';

export const DASHBOARD_NAME = 'pricesense';
export const ALARM_NAMES = {
  executionFailed: 'pricesense-execution-failed',
  executionTimedOut: 'pricesense-execution-timed-out',
  modelGateFailed: 'pricesense-model-gate-failed',
  dataQualityGateFailed: 'pricesense-data-quality-gate-failed',
  triggerDlqNotEmpty: 'pricesense-trigger-dlq-not-empty',
  predict5xx: 'pricesense-predict-5xx',
} as const;

export interface PipelineMonitoringProps {
  config: PipelineConfig;
  stateMachine: sfn.IStateMachine;
  stateMachineLogs: logs.ILogGroup;
  topic: sns.ITopic;
  triggerDeadLetterQueue: sqs.IQueue;
  /** The endpoint alarms the blue/green rollout watches (5xx, p95 latency). */
  rollbackAlarms: cloudwatch.Alarm[];
  /** `/predict` REST API name and stage, when the API is deployed. */
  predictApi?: { apiName: string; stage: string };
  glueJobNames: string[];
  athenaWorkGroup: string;
  /** Extra alarms to show on the dashboard (e.g. drift). */
  extraAlarms?: cloudwatch.IAlarm[];
  driftMaxPsi?: cloudwatch.IMetric;
}

export class PipelineMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    const { config, stateMachine } = props;
    const notify = new actions.SnsAction(props.topic);
    createExecutionLogMetrics(this, props.stateMachineLogs);
    const custom = (metricName: string, dimensionsMap: Record<string, string> | undefined, statistic = 'Sum', period = Duration.minutes(5)) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, ...(dimensionsMap ? { dimensionsMap } : {}), statistic, period });
    const alarm = (alarmId: string, alarmName: string, description: string, metric: cloudwatch.IMetric, threshold = 1) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmName,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      this.alarms.push(created);
      return created;
    };

    // --- alarms ---------------------------------------------------------------------------------
    alarm('ExecutionFailedAlarm', ALARM_NAMES.executionFailed, 'A pricesense execution failed: open it in the Step Functions console (failed state in red) or `pricesense record` it.', stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }));
    alarm('ExecutionTimedOutAlarm', ALARM_NAMES.executionTimedOut, 'A pricesense execution hit the 12 h state machine timeout.', stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }));
    alarm('ModelGateAlarm', ALARM_NAMES.modelGateFailed, `A trained model missed the metric gate (${StateName.ModelBelowThreshold}): nothing was registered or deployed.`, custom(LogMetric.ModelGateFailures, undefined));
    alarm('DataQualityGateAlarm', ALARM_NAMES.dataQualityGateFailed, `Gold data failed the data-quality gate (${StateName.DataQualityFailed}).`, custom(LogMetric.DataQualityGateFailures, undefined));
    alarm('TriggerDlqAlarm', ALARM_NAMES.triggerDlqNotEmpty, 'S3 events that could not start an execution are waiting in the trigger dead-letter queue.', props.triggerDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }));
    const apiMetric = (metricName: string, statistic: string, label?: string) =>
      props.predictApi
        ? new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiName: props.predictApi.apiName, Stage: props.predictApi.stage }, statistic, period: Duration.minutes(1), ...(label ? { label } : {}) })
        : undefined;
    const predict5xx = apiMetric('5XXError', 'Sum');
    if (predict5xx) {
      alarm('Predict5xxAlarm', ALARM_NAMES.predict5xx, '/predict returned 5xx responses.', predict5xx.with({ period: Duration.minutes(5) }), 5);
    }
    for (const rollback of props.rollbackAlarms) rollback.addAlarmAction(notify);

    // --- dashboard ------------------------------------------------------------------------------
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: DASHBOARD_NAME, defaultInterval: Duration.days(14) });
    const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) => new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, ...extra });
    const sm = (metric: (p?: cloudwatch.MetricOptions) => cloudwatch.Metric, label: string) => metric.call(stateMachine, { statistic: 'Sum', period: Duration.hours(1), label });
    const logQuery = (title: string, queryLines: string[]) => new cloudwatch.LogQueryWidget({ title, logGroupNames: [props.stateMachineLogs.logGroupName], queryLines, width: 12, height: 6 });

    this.dashboard.addWidgets(
      graph('Executions by status', [
        sm(stateMachine.metricStarted, 'started'),
        sm(stateMachine.metricSucceeded, 'succeeded'),
        sm(stateMachine.metricFailed, 'failed'),
        sm(stateMachine.metricTimedOut, 'timed out'),
        sm(stateMachine.metricAborted, 'aborted'),
      ], { stacked: true }),
      graph('Execution duration (ms)', [stateMachine.metricTime({ statistic: 'Average', label: 'average' }), stateMachine.metricTime({ statistic: 'Maximum', label: 'max' })]),
      graph('Gate and ingestion failures', [
        custom(LogMetric.DataQualityGateFailures, undefined, 'Sum', Duration.hours(1)),
        custom(LogMetric.ModelGateFailures, undefined, 'Sum', Duration.hours(1)),
        custom(LogMetric.FeatureIngestionFailures, undefined, 'Sum', Duration.hours(1)),
      ]),
    );
    this.dashboard.addWidgets(
      logQuery('Duration per state (s), latest executions', [
        'fields @timestamp, execution_arn, details.name as state, type',
        'filter type like /StateEntered$|StateExited$/',
        'stats (max(toMillis(@timestamp)) - min(toMillis(@timestamp))) / 1000 as seconds by execution_arn, state',
        'sort execution_arn desc, seconds desc',
        'limit 100',
      ]),
      logQuery('Data-quality figures per run', [
        'fields @timestamp, execution_arn, details.output',
        `filter type = "TaskStateExited" and details.name = "${StateName.ReadDataQualityResults}"`,
        'sort @timestamp desc',
        'limit 20',
      ]),
    );
    const perRun = (metricName: string, label: string) => custom(metricName, { service: TaskFunction.EvaluateModel }, 'Average', Duration.hours(1)).with({ label });
    this.dashboard.addWidgets(
      graph('Model metrics per run', [perRun(EvaluationMetric.Accuracy, 'accuracy'), perRun(EvaluationMetric.MacroF1, 'macro F1')], {
        leftYAxis: { min: 0, max: 1 },
        leftAnnotations: [
          { value: config.thresholds.accuracy, label: `accuracy gate ${config.thresholds.accuracy}` },
          { value: config.thresholds.macroF1, label: `macro F1 gate ${config.thresholds.macroF1}` },
        ],
      }),
      graph('Per-class precision per run', LABELS.map((label) => perRun(classPrecisionMetric(label), `precision ${label}`)), {
        leftYAxis: { min: 0, max: 1 },
        leftAnnotations: [{ value: config.thresholds.classPrecision, label: `class precision gate ${config.thresholds.classPrecision}` }],
      }),
      graph('Feature ingestion', [custom('FeatureRecordsWritten', { service: TaskFunction.IngestFeatures }, 'Sum', Duration.hours(1)).with({ label: 'records written' })], {
        right: [custom(LogMetric.FeatureIngestionFailures, undefined, 'Sum', Duration.hours(1)).with({ label: 'failed ingestion tasks' })],
      }),
    );
    const endpoint = (metricName: string, statistic: string, label: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/SageMaker', metricName, dimensionsMap: { EndpointName: config.endpointName, VariantName: 'AllTraffic' }, statistic, period: Duration.minutes(1), label });
    this.dashboard.addWidgets(
      graph('Endpoint invocations and errors', [endpoint('Invocations', 'Sum', 'invocations')], {
        right: [endpoint('Invocation4XXErrors', 'Sum', '4xx'), endpoint('Invocation5XXErrors', 'Sum', '5xx')],
      }),
      graph('Endpoint model latency (µs)', [endpoint('ModelLatency', 'p50', 'p50'), endpoint('ModelLatency', 'p95', 'p95'), endpoint('ModelLatency', 'p99', 'p99')], {
        leftAnnotations: [{ value: 200_000, label: 'p95 rollback threshold 200 ms' }],
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Rollback alarms', alarms: props.rollbackAlarms, width: 8, height: 6 }),
    );
    if (config.eks.clusterName !== '') {
      const pods = (metricName: string, label: string) =>
        new cloudwatch.Metric({ namespace: 'ContainerInsights', metricName, dimensionsMap: { ClusterName: config.eks.clusterName, Namespace: config.eks.namespace, Service: config.eks.deploymentName }, statistic: 'Average', period: Duration.minutes(1), label });
      this.dashboard.addWidgets(
        graph('EKS serving pods (Container Insights)', [pods('service_number_of_running_pods', 'running pods')], { right: [pods('pod_cpu_utilization', 'CPU %')] }),
      );
    }
    if (props.predictApi) {
      this.dashboard.addWidgets(
        graph('/predict latency (ms)', [apiMetric('Latency', 'p50', 'p50')!, apiMetric('Latency', 'p95', 'p95')!, apiMetric('Latency', 'p99', 'p99')!, apiMetric('IntegrationLatency', 'p95', 'integration p95')!], {
          leftAnnotations: [{ value: 200, label: 'p95 target 200 ms' }],
        }),
        graph('/predict requests and errors', [apiMetric('Count', 'Sum', 'requests')!], { right: [apiMetric('4XXError', 'Sum', '4xx')!, apiMetric('5XXError', 'Sum', '5xx')!] }),
      );
    }
    const glue = (jobName: string) =>
      new cloudwatch.Metric({ namespace: 'Glue', metricName: 'glue.driver.aggregate.elapsedTime', dimensionsMap: { JobName: jobName, JobRunId: 'ALL', Type: 'count' }, statistic: 'Maximum', period: Duration.hours(1), label: jobName });
    const athenaScanned = new cloudwatch.Metric({ namespace: 'AWS/Athena', metricName: 'ProcessedBytes', dimensionsMap: { WorkGroup: props.athenaWorkGroup }, statistic: 'Sum', period: Duration.hours(1), label: 'bytes scanned' });
    const driftWidgets = props.driftMaxPsi
      ? [graph('Prediction drift: max feature PSI', [props.driftMaxPsi], { leftAnnotations: [{ value: 0.2, label: 'alarm 0.2' }], right: [custom(DriftMetric.Samples, { service: TaskFunction.DetectDrift }, 'Sum', Duration.days(1)).with({ label: 'inferences compared' })] })]
      : [];
    this.dashboard.addWidgets(
      graph('Glue job elapsed time (ms)', props.glueJobNames.map(glue)),
      graph('Athena data-quality bytes scanned', [athenaScanned]),
      ...driftWidgets,
    );
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'All pricesense alarms', alarms: [...this.alarms, ...props.rollbackAlarms, ...(props.extraAlarms ?? [])], width: 24, height: 4 }));
  }
}
