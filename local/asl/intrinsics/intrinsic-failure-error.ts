import { StatesErrorName } from '../errors/error-names.js';

/**
 * An intrinsic function call that cannot be evaluated (bad syntax, unknown function, wrong
 * argument). Its `name` is the ASL error name so Retry/Catch can match it.
 */
export class IntrinsicFailureError extends Error {
  override readonly name = StatesErrorName.IntrinsicFailure;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
