/**
 * The S3 trigger (EventBridge rule target): starts one pipeline execution per raw CSV that lands
 * under `raw/`. Duplicate deliveries of the same event start nothing.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { TaskFunction } from '../workflow/resource-names.js';
import { TaskEnv } from '../workflow/task-environment.js';
import { createAwsClient } from './core/shared/aws-clients.js';
import { startExecutionForEvent, type TriggerResult } from './core/start-execution/execution-trigger.js';
import { createTaskObservability } from './core/shared/observability.js';
import { lazyTaskEnvironment, nonEmptyString } from './core/shared/task-environment.js';

const { logger, tracer } = createTaskObservability(TaskFunction.StartExecution);
const sfn = createAwsClient('sfn', () => tracer.captureAWSv3Client(new SFNClient({})));

const environment = lazyTaskEnvironment(
  z.object({
    [TaskEnv.StateMachineArn]: nonEmptyString,
    [TaskEnv.RawBucket]: nonEmptyString,
  }),
);

export async function handler(event: unknown): Promise<TriggerResult> {
  const env = environment();
  const result = await startExecutionForEvent(sfn, event, {
    stateMachineArn: env[TaskEnv.StateMachineArn],
    rawBucket: env[TaskEnv.RawBucket],
  });
  if (result.status === 'started') logger.info('Execution started', { ...result });
  else logger.info(`Execution not started: ${result.status}`, { ...result });
  return result;
}
