import { describe, expect, it } from 'vitest';
import { ALARM_NAMES, DASHBOARD_NAME } from '../../infra/monitoring/pipeline-monitoring.js';
import { ROLLBACK_ALARM_NAMES } from '../../infra/ml-platform/endpoint-rollback-alarms.js';
import { resolveDefinition } from '../../local/template/index.js';
import { synthForTest } from '../support/synth.js';

const { template, stateMachineLogicalId } = synthForTest();
const resources = template.Resources as Record<string, any>;
const asl = resolveDefinition(template, stateMachineLogicalId) as { States: Record<string, any> };

function resourcesOf(type: string): Array<[string, any]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function alarmNamed(name: string): any {
  const found = resourcesOf('AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.AlarmName === name);
  if (!found) throw new Error(`no alarm named ${name}`);
  return found[1].Properties;
}

const topicRef = () => resourcesOf('AWS::SNS::Topic')[0]![0];

function dashboardBody(): string {
  const [[, dashboard]] = resourcesOf('AWS::CloudWatch::Dashboard') as [[string, any]];
  // The body is a Fn::Join of literal JSON fragments and tokens: the literals are enough here.
  return (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : '')).join('');
}

describe('alarms', () => {
  it('sends every alarm to the notifications topic', () => {
    const alarms = resourcesOf('AWS::CloudWatch::Alarm');

    expect(alarms.length).toBe(9);
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicRef() }]);
  });

  it('alarms on failed and timed-out executions of the state machine', () => {
    for (const [name, metric] of [[ALARM_NAMES.executionFailed, 'ExecutionsFailed'], [ALARM_NAMES.executionTimedOut, 'ExecutionsTimedOut']] as const) {
      const alarm = alarmNamed(name);
      expect([alarm.Namespace, alarm.MetricName, alarm.Threshold, alarm.ComparisonOperator]).toEqual(['AWS/States', metric, 1, 'GreaterThanOrEqualToThreshold']);
      expect(alarm.Dimensions).toEqual([{ Name: 'StateMachineArn', Value: { Ref: stateMachineLogicalId } }]);
    }
  });

  it('counts gate failures from FailStateEntered events of the execution log', () => {
    const filters = resourcesOf('AWS::Logs::MetricFilter').map(([, f]) => [f.Properties.MetricTransformations[0].MetricName, f.Properties.FilterPattern]);

    expect(filters).toContainEqual(['ModelGateFailures', '{ ($.type = "FailStateEntered") && ($.details.name = "ModelBelowThreshold") }']);
    expect(filters).toContainEqual(['DataQualityGateFailures', '{ ($.type = "FailStateEntered") && ($.details.name = "DataQualityFailed") }']);
    expect(filters).toContainEqual(['FeatureIngestionFailures', '{ ($.type = "TaskFailed") && ($.details.error = "FeatureIngestionFailed") }']);
    expect(alarmNamed(ALARM_NAMES.modelGateFailed)).toMatchObject({ Namespace: 'Pricesense', MetricName: 'ModelGateFailures', Threshold: 1 });
    expect(alarmNamed(ALARM_NAMES.dataQualityGateFailed)).toMatchObject({ Namespace: 'Pricesense', MetricName: 'DataQualityGateFailures', Threshold: 1 });
  });

  it('alarms as soon as one message waits in the trigger dead-letter queue', () => {
    const alarm = alarmNamed(ALARM_NAMES.triggerDlqNotEmpty);

    expect([alarm.Namespace, alarm.MetricName, alarm.Threshold]).toEqual(['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 1]);
    expect(alarm.Dimensions[0].Value['Fn::GetAtt'][0]).toMatch(/^TriggerDeadLetterQueue/);
  });

  it('alarms on /predict 5xx of the prod stage', () => {
    const alarm = alarmNamed(ALARM_NAMES.predict5xx);
    expect([alarm.Namespace, alarm.MetricName, alarm.Statistic]).toEqual(['AWS/ApiGateway', '5XXError', 'Sum']);
    const [[stageId, stage]] = resourcesOf('AWS::ApiGateway::Stage') as [[string, any]];

    expect(stage.Properties.StageName).toBe('prod');
    expect(alarm.Dimensions).toEqual([{ Name: 'ApiName', Value: 'pricesense-predict' }, { Name: 'Stage', Value: { Ref: stageId } }]);
  });

  it('reuses the blue/green rollback alarms instead of duplicating them', () => {
    const rollbackAlarms = asl.States.UpdateEndpoint.Arguments.DeploymentConfig.AutoRollbackConfiguration.Alarms.map((a: any) => a.AlarmName);
    const endpointAlarms = resourcesOf('AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.Namespace === 'AWS/SageMaker').map(([, a]) => a.Properties.AlarmName);

    expect(rollbackAlarms.sort()).toEqual(Object.values(ROLLBACK_ALARM_NAMES).sort());
    expect(endpointAlarms.sort()).toEqual(Object.values(ROLLBACK_ALARM_NAMES).sort());
    expect(alarmNamed(ROLLBACK_ALARM_NAMES.endpointP95Latency)).toMatchObject({ ExtendedStatistic: 'p95', Threshold: 200000 });
    expect(alarmNamed(ROLLBACK_ALARM_NAMES.endpoint5xx)).toMatchObject({ MetricName: 'Invocation5XXErrors' });
  });
});

describe('drift detection', () => {
  it('runs detect-drift once a day from an EventBridge schedule', () => {
    const [[, rule]] = resourcesOf('AWS::Events::Rule').filter(([, r]) => r.Properties.ScheduleExpression) as [[string, any]];
    const target = rule.Properties.Targets[0].Arn['Fn::GetAtt'][0];

    expect(rule.Properties.ScheduleExpression).toBe('rate(1 day)');
    expect(resources[target].Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'detect-drift', DRIFT_WINDOW_HOURS: '24', DRIFT_MIN_SAMPLES: '500' });
  });

  it('alarms when the maximum feature PSI exceeds 0.2', () => {
    expect(alarmNamed('pricesense-feature-drift')).toMatchObject({
      Namespace: 'Pricesense',
      MetricName: 'MaxFeaturePsi',
      Dimensions: [{ Name: 'service', Value: 'detect-drift' }],
      Threshold: 0.2,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('dashboard', () => {
  it('is named pricesense', () => {
    expect(resourcesOf('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardName).toBe(DASHBOARD_NAME);
  });

  it('charts executions by status, per-state duration and data-quality figures', () => {
    const body = dashboardBody();

    for (const metric of ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionTime']) expect(body).toContain(`"${metric}"`);
    expect(body).toContain('Duration per state');
    expect(body).toContain('ReadDataQualityResults');
  });

  it('charts the model metrics EvaluateModel publishes, with the gate thresholds', () => {
    const body = dashboardBody();

    for (const metric of ['ModelAccuracy', 'ModelMacroF1', 'ModelPrecisionLA', 'ModelPrecisionMM', 'ModelPrecisionUM']) expect(body).toContain(`"Pricesense","${metric}","service","evaluate-model"`);
    expect(body).toContain('"value":0.75');
    expect(body).toContain('"value":0.65');
  });

  it('charts ingestion, endpoint latency/errors/invocations, /predict latency and 4xx/5xx, and drift', () => {
    const body = dashboardBody();

    for (const fragment of ['FeatureRecordsWritten', 'FeatureIngestionFailures', '"Invocations"', 'Invocation4XXErrors', 'Invocation5XXErrors', '"ModelLatency"', '"AWS/ApiGateway","Latency"', '"4XXError"', '"5XXError"', 'MaxFeaturePsi']) {
      expect(body).toContain(fragment);
    }
  });
});

describe('cost controls', () => {
  it('trains on managed spot with checkpoints and a MaxWait above MaxRuntime', () => {
    const train = asl.States.IngestAndTrain.Branches[1].States.TrainModel.Arguments;

    expect(train.EnableManagedSpotTraining).toBe(true);
    expect(train.CheckpointConfig.S3Uri).toBeDefined();
    expect(train.StoppingCondition).toMatchObject({ MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 });
  });

  it('has lifecycle rules on every zone bucket and tiering on raw, gold and artifacts', () => {
    const rules = Object.fromEntries(
      resourcesOf('AWS::S3::Bucket').map(([id, b]) => [id.replace(/[0-9A-F]{8}$/, ''), (b.Properties.LifecycleConfiguration?.Rules ?? []).map((r: any) => r.Id)]),
    );

    expect(rules).toMatchObject({
      RawBucket: ['raw-tiering'],
      SilverBucket: ['silver-expiry'],
      GoldBucket: ['gold-tiering'],
      ArtifactsBucket: ['artifacts-tiering', 'checkpoints-expiry', 'athena-results-expiry'],
    });
  });

  it('cuts Athena queries off at 10 GiB scanned and sizes the Glue jobs explicitly', () => {
    const [[, workGroup]] = resourcesOf('AWS::Athena::WorkGroup') as [[string, any]];

    expect(workGroup.Properties.WorkGroupConfiguration.BytesScannedCutoffPerQuery).toBe(10 * 1024 ** 3);
    for (const [, job] of resourcesOf('AWS::Glue::Job')) expect([job.Properties.WorkerType, job.Properties.NumberOfWorkers, job.Properties.Timeout]).toEqual(['G.1X', 4, 60]);
  });
});
