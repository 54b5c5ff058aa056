import { StatesErrorName } from './error-names.js';

/**
 * A failure inside a running execution, carrying the ASL error name that Retry/Catch match on
 * and the cause string that lands in the history.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }

  /** The `{Error, Cause}` object a Catch hands on. */
  toErrorOutput(): { Error: string; Cause: string } {
    return { Error: this.error, Cause: this.cause };
  }
}

/** States.Runtime is not retriable and cannot be caught: it always fails the execution. */
export function isUncatchable(error: StatesError): boolean {
  return error.error === StatesErrorName.Runtime;
}
