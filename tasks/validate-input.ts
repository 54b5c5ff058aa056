/**
 * ValidateInput: turns the execution input (console `{bucket, key}` or an EventBridge S3 event)
 * into the run's context after checking the raw file. Rejected files are quarantined.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { RunContext, ValidateInputRequest } from '../workflow/payloads.js';
import { TaskFunction } from '../workflow/resource-names.js';
import { TaskEnv } from '../workflow/task-environment.js';
import { createAwsClient } from './core/shared/aws-clients.js';
import { asRetriableWhenTransient, InvalidExecutionInputError } from './core/shared/errors.js';
import { createTaskObservability } from './core/shared/observability.js';
import { validateRawObject } from './core/validate-input/raw-object-validation.js';
import { lazyTaskEnvironment, nonEmptyString, positiveIntegerString } from './core/shared/task-environment.js';
import { isThrottlingOrServerError } from './core/shared/retry-with-backoff.js';
import { RUN_ID_PATTERN } from '../workflow/data-quality-parameters.js';

const { logger, tracer } = createTaskObservability(TaskFunction.ValidateInput);
const s3 = createAwsClient('s3', () => tracer.captureAWSv3Client(new S3Client({})));

const environment = lazyTaskEnvironment(
  z.object({
    [TaskEnv.RawBucket]: nonEmptyString,
    [TaskEnv.SilverBucket]: nonEmptyString,
    [TaskEnv.GoldBucket]: nonEmptyString,
    [TaskEnv.ArtifactsBucket]: nonEmptyString,
    [TaskEnv.MaxObjectBytes]: positiveIntegerString,
    [TaskEnv.SampleRows]: positiveIntegerString,
  }),
);

const requestSchema = z.object({
  input: z.unknown(),
  executionName: z.string().min(1).max(80),
}) satisfies z.ZodType<ValidateInputRequest>;

export async function handler(event: unknown): Promise<RunContext> {
  const env = environment();
  const request = requestSchema.safeParse(event);
  if (!request.success) {
    throw new InvalidExecutionInputError(
      `ValidateInput expects {"input": <execution input>, "executionName": "<1-80 characters>"}, got ${JSON.stringify(event)?.slice(0, 200)}`,
    );
  }
  const { input, executionName } = request.data;
  if (!RUN_ID_PATTERN.test(executionName)) {
    // The name becomes every zone's S3 prefix and a string literal in the data-quality query.
    throw new InvalidExecutionInputError(
      `The execution name ${JSON.stringify(executionName)} cannot name a run: expected 1-80 characters of A-Z a-z 0-9 . _ - (start the execution again with such a name, or let Step Functions generate one)`,
    );
  }
  logger.appendKeys({ executionName });
  try {
    const run = await validateRawObject(
      s3,
      input,
      executionName,
      {
        rawBucket: env[TaskEnv.RawBucket],
        silverBucket: env[TaskEnv.SilverBucket],
        goldBucket: env[TaskEnv.GoldBucket],
        artifactsBucket: env[TaskEnv.ArtifactsBucket],
        maxObjectBytes: env[TaskEnv.MaxObjectBytes],
        sampleRows: env[TaskEnv.SampleRows],
      },
      {
        onQuarantined: (result) => logger.warn('Rejected raw file quarantined', { ...result }),
        onQuarantineFailed: (error) => logger.error('Could not quarantine the rejected raw file', { error: error as Error }),
      },
    );
    logger.info('Raw file accepted', { bucket: run.bucket, key: run.key, sizeBytes: run.sizeBytes });
    return run;
  } catch (error) {
    logger.error('Input rejected', { error: error as Error });
    throw asRetriableWhenTransient(error, isThrottlingOrServerError);
  } finally {
    logger.removeKeys(['executionName']);
  }
}
