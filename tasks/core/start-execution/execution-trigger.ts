/**
 * The S3 trigger's core: decide whether an "Object Created" event should start the pipeline and
 * start exactly one execution for it, however often the event is delivered.
 */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { RAW_PREFIX } from '../../../workflow/s3-layout.js';
import { InvalidExecutionInputError } from '../shared/errors.js';
import { normalizeExecutionInput } from '../shared/execution-input.js';
import { executionNameForObject } from './execution-name.js';
import { RAW_FILE_EXTENSIONS } from '../validate-input/raw-object-validation.js';

export interface TriggerResult {
  status: 'started' | 'duplicate' | 'ignored';
  executionName?: string;
  executionArn?: string;
  reason?: string;
}

export interface TriggerSettings {
  stateMachineArn: string;
  rawBucket: string;
}

export async function startExecutionForEvent(sfn: SFNClient, event: unknown, settings: TriggerSettings): Promise<TriggerResult> {
  const object = normalizeExecutionInput(event);
  if (object.source !== 'eventbridge') {
    throw new InvalidExecutionInputError('The S3 trigger expects an EventBridge S3 "Object Created" event, got a console-style {bucket, key} input');
  }
  const ignored = ignoreReason(object.bucket, object.key, settings.rawBucket);
  if (ignored) return { status: 'ignored', reason: ignored };

  const executionName = executionNameForObject(object.bucket, object.key, object.etag ?? '');
  try {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: settings.stateMachineArn, name: executionName, input: JSON.stringify(event) }),
    );
    return { status: 'started', executionName, ...(started.executionArn ? { executionArn: started.executionArn } : {}) };
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
      return {
        status: 'duplicate',
        executionName,
        reason: `an execution named ${executionName} already exists for s3://${object.bucket}/${object.key} (ETag ${object.etag ?? 'unknown'})`,
      };
    }
    throw error;
  }
}

function ignoreReason(bucket: string, key: string, rawBucket: string): string | null {
  if (bucket !== rawBucket) return `bucket ${bucket} is not the raw bucket ${rawBucket}`;
  if (!key.startsWith(RAW_PREFIX)) return `key ${key} is outside ${RAW_PREFIX}`;
  if (!RAW_FILE_EXTENSIONS.some((extension) => key.endsWith(extension))) {
    return `key ${key} does not end in ${RAW_FILE_EXTENSIONS.join(' or ')}`;
  }
  return null;
}
