/**
 * S3 → EventBridge → start-execution: a CSV landing under raw/ of the raw bucket (EventBridge
 * notifications on) starts one pipeline execution through the start-execution Lambda; events
 * EventBridge cannot deliver for 24 h (185 attempts) land in a KMS-encrypted dead-letter queue.
 * Duplicate events are absorbed by the deterministic execution name.
 *
 * Created in the stack's own scope (not a child construct): the rule's path names the Lambda
 * permission EventBridge invokes through, so a child scope would change its logical ID.
 */
import { Duration, type Stack, Validations, aws_events as events, aws_events_targets as targets, type aws_kms as kms, type aws_s3 as s3, aws_sqs as sqs, type aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { TaskFunction } from '../../workflow/resource-names.js';
import { RAW_PREFIX } from '../../workflow/s3-layout.js';
import { TaskEnv } from '../../workflow/task-environment.js';
import type { TaskFunctionFactory } from '../drift/drift-detection.js';

export interface RawArrivalTriggerProps {
  rawBucket: s3.IBucket;
  stateMachine: sfn.IStateMachine;
  /** Encrypts the state machine (starting an execution encrypts its input) and the dead-letter queue. */
  key: kms.IKey;
  taskFunction: TaskFunctionFactory;
}

export function createRawArrivalTrigger(stack: Stack, props: RawArrivalTriggerProps): { deadLetterQueue: sqs.Queue } {
  const { rawBucket: raw, stateMachine, key } = props;
  const startExecution = props.taskFunction('StartExecutionFunction', TaskFunction.StartExecution, {
    [TaskEnv.RawBucket]: raw.bucketName,
    [TaskEnv.StateMachineArn]: stateMachine.stateMachineArn,
  });
  stateMachine.grantStartExecution(startExecution);
  // The state machine is encrypted with the customer key: starting an execution encrypts its input.
  key.grant(startExecution, 'kms:GenerateDataKey', 'kms:Decrypt');
  const deadLetterQueue = new sqs.Queue(stack, 'TriggerDeadLetterQueue', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the S3 trigger.' });
  new events.Rule(stack, 'RawObjectCreatedRule', {
    description: 'A CSV landing under raw/ starts one pipeline execution (duplicates are absorbed by the deterministic execution name).',
    eventPattern: {
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: { bucket: { name: [raw.bucketName] }, object: { key: [{ prefix: RAW_PREFIX }] } },
    },
    targets: [new targets.LambdaFunction(startExecution, { deadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
  });
  return { deadLetterQueue };
}
