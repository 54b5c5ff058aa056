/**
 * A state machine definition that is invalid or uses something the local engine does not support.
 * Raised before the execution starts; the message names the state and the field.
 */
export class DefinitionError extends Error {
  constructor(
    message: string,
    /** Path to the offending state, e.g. "States.Train" or "States.Fan.Iterator.States.Step". */
    readonly statePath?: string,
    /** The offending field, e.g. "ResultPath". */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DefinitionError';
  }
}
