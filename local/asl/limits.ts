/**
 * Step Functions service quotas the engine enforces, as AWS documents them
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, "Quotas related to
 * state machine executions" and "Quotas related to task, state and execution payloads"):
 * - 256 KiB per state input/output, task result and execution input (UTF-8 bytes of the JSON);
 * - 25,000 events per execution history (a hard quota;
 *   https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html).
 */
import { StatesError } from './errors/states-error.js';

export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const MAX_HISTORY_EVENTS = 25_000;

export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';

/** True when the JSON text is larger than 256 KiB in UTF-8 (cheap for the common small payload). */
export function exceedsPayloadLimit(jsonText: string): boolean {
  // A UTF-8 character takes 1 to 3 bytes per UTF-16 unit: only the middle band needs counting.
  if (jsonText.length * 3 <= MAX_PAYLOAD_BYTES) return false;
  if (jsonText.length > MAX_PAYLOAD_BYTES) return true;
  return Buffer.byteLength(jsonText, 'utf8') > MAX_PAYLOAD_BYTES;
}

/**
 * States.DataLimitExceeded with AWS's cause. `who` is what AWS names: the state for a Pass/Map/...
 * output, the Lambda function ARN for a bare-ARN Task, the integration ('lambda') for others.
 */
export function dataLimitExceeded(who: string): StatesError {
  return new StatesError(DATA_LIMIT_EXCEEDED, `The state/task '${who}' returned a result with a size exceeding the maximum number of bytes service limit.`);
}

/**
 * Raised when an event would be the 25,000th of a history and is not the execution's last: AWS
 * then logs ExecutionFailed as event 25,000. Not a StatesError, so no Retry or Catch sees it.
 */
export class HistoryLimitError extends Error {
  constructor() {
    super(`The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`);
    this.name = 'HistoryLimitError';
  }
}

/** StartExecution refuses an input over 256 KiB (the API's `input` is at most 262,144 bytes). */
export class ExecutionInputTooLargeError extends Error {
  constructor(bytes: number) {
    super(
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES} (the input has ${bytes} bytes)`,
    );
    this.name = 'ValidationException';
  }
}
