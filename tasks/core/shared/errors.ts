/**
 * Errors the task Lambdas throw. Each `name` is an `ErrorName` from the workflow contract: it is
 * what the state machine's Retry/Catch match, so never derive it from the class name.
 */
import { ErrorName } from '../../../workflow/names.js';

abstract class TaskError extends Error {
  protected constructor(name: ErrorName, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
  }
}

/** The execution input is neither `{bucket, key}` nor an EventBridge S3 Object Created event. */
export class InvalidExecutionInputError extends TaskError {
  constructor(message: string, cause?: unknown) {
    super(ErrorName.InvalidExecutionInput, message, cause);
  }
}

/** The raw object does not exist or cannot be read. */
export class RawObjectNotFoundError extends TaskError {
  constructor(message: string, cause?: unknown) {
    super(ErrorName.RawObjectNotFound, message, cause);
  }
}

/** The raw object is empty, too large, not the expected CSV, or its sampled rows do not parse. */
export class InvalidRawFileError extends TaskError {
  /** Each problem found, one sentence each (the message joins the first few). */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message], cause?: unknown) {
    super(ErrorName.InvalidRawFile, message, cause);
    this.problems = problems;
  }
}

/** Some feature records could not be written; the message gives the counts and where they are listed. */
export class FeatureIngestionFailedError extends TaskError {
  constructor(message: string, cause?: unknown) {
    super(ErrorName.FeatureIngestionFailed, message, cause);
  }
}

/** Labels and batch-transform predictions do not line up or do not parse. */
export class EvaluationInputMismatchError extends TaskError {
  constructor(message: string, cause?: unknown) {
    super(ErrorName.EvaluationInputMismatch, message, cause);
  }
}

/** A downstream AWS API kept throttling after the Lambda's own retries: the workflow retries the task. */
export class ThrottledError extends TaskError {
  constructor(message: string, cause?: unknown) {
    super(ErrorName.Throttled, message, cause);
  }
}

/**
 * What a handler rethrows: an AWS throttling or 5xx error keeps its message but takes the name the
 * workflow's Retry matches (Throttled); every other error passes through unchanged.
 */
export function asRetriableWhenTransient(error: unknown, isTransient: (error: unknown) => boolean): unknown {
  if (error instanceof TaskError || !isTransient(error)) return error;
  const original = error as Error;
  return new ThrottledError(`${original.name}: ${original.message}`, error);
}

/**
 * The function's environment is missing or malformed: a deployment bug, not bad data. Its name is
 * deliberately not an `ErrorName`, so no Retry matches it and the workflow's catch-all reports it.
 */
export class TaskEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskEnvironmentError';
  }
}
