/**
 * Scheduled drift check: the detect-drift Lambda runs once a day, compares the last day of
 * /predict inferences with the served model's training split (PSI per feature) and the alarm
 * fires when any feature's PSI exceeds 0.2.
 */
import { Duration, Stack, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_dynamodb as dynamodb, aws_events as events, aws_events_targets as targets, aws_iam as iam, aws_lambda as lambda, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DriftMetric } from '../../tasks/core/drift/drift-metric-names.js';
import { PSI_ALARM_THRESHOLD } from '../../tasks/core/drift/psi.js';
import { TaskFunction } from '../../workflow/resource-names.js';
import { METRICS_NAMESPACE, TaskEnv } from '../../workflow/task-environment.js';
import { acknowledgeFindings, arnFinding, bucketObjects } from '../nag-acknowledgements.js';

export const DRIFT_ALARM_NAME = 'pricesense-feature-drift';
export const DRIFT_RULE_NAME = 'pricesense-drift-check';

export type TaskFunctionFactory = (id: string, name: TaskFunction, environment: Record<string, string>, timeout?: Duration, memorySize?: number) => lambda.Function;

export interface DriftDetectionProps {
  /** The stack's task-function factory (runtime, KMS log group, tracing, bundling). */
  taskFunction: TaskFunctionFactory;
  inferenceTable: dynamodb.ITable;
  goldBucket: s3.IBucket;
  artifactsBucket: s3.IBucket;
  modelPackageGroupName: string;
  topic: sns.ITopic;
  /** @default Duration.hours(24) - inference window compared with training, also the schedule period */
  window?: Duration;
  /** @default 500 - fewer inferences in the window publish no PSI */
  minSamples?: number;
}

export class DriftDetection extends Construct {
  readonly function: lambda.Function;
  readonly alarm: cloudwatch.Alarm;
  readonly maxPsiMetric: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: DriftDetectionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const window = props.window ?? Duration.hours(24);
    this.function = props.taskFunction(
      'DetectDriftFunction',
      TaskFunction.DetectDrift,
      {
        [TaskEnv.GoldBucket]: props.goldBucket.bucketName,
        [TaskEnv.ArtifactsBucket]: props.artifactsBucket.bucketName,
        [TaskEnv.InferenceTableName]: props.inferenceTable.tableName,
        [TaskEnv.ModelPackageGroupName]: props.modelPackageGroupName,
        [TaskEnv.DriftWindowHours]: String(window.toHours()),
        [TaskEnv.DriftMinSamples]: String(props.minSamples ?? 500),
      },
      Duration.minutes(10),
      2048,
    );
    // Only the Scan the handler makes (tasks/core/drift/inference-log.ts): grantReadData would also
    // grant the stream actions on the table ARN, which act on stream ARNs only and the table has no stream.
    props.inferenceTable.grant(this.function, 'dynamodb:Scan', 'dynamodb:DescribeTable');
    props.inferenceTable.encryptionKey?.grantDecrypt(this.function);
    props.goldBucket.grantRead(this.function, 'gold/*');
    props.artifactsBucket.grantReadWrite(this.function, 'drift/*');
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:ListModelPackages', 'sagemaker:DescribeModelPackage'],
        resources: [
          stack.formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: props.modelPackageGroupName }),
          stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${props.modelPackageGroupName}/*` }),
        ],
      }),
    );
    acknowledgeFindings(this.function, {
      [bucketObjects(props.goldBucket, 'gold/')]: 'reads feature_list.json and the train CSV of the served model\'s run under gold/',
      [bucketObjects(props.artifactsBucket, 'drift/')]: 'caches the training baseline under drift/baseline/',
      [arnFinding(stack, 'sagemaker', `model-package/${props.modelPackageGroupName}/*`)]: 'DescribeModelPackage on the versions of the one model package group',
    });

    new events.Rule(this, 'Schedule', {
      ruleName: DRIFT_RULE_NAME,
      description: 'Daily drift check: recent /predict feature distributions vs the training split (PSI per feature).',
      schedule: events.Schedule.rate(window),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });

    this.maxPsiMetric = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: DriftMetric.MaxPsi,
      dimensionsMap: { service: TaskFunction.DetectDrift },
      statistic: 'Maximum',
      period: window,
    });
    this.alarm = new cloudwatch.Alarm(this, 'MaxPsiAlarm', {
      alarmName: DRIFT_ALARM_NAME,
      alarmDescription: `A feature's population stability index (recent inferences vs training) is above ${PSI_ALARM_THRESHOLD}: the model sees data it was not trained on.`,
      metric: this.maxPsiMetric,
      threshold: PSI_ALARM_THRESHOLD,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
