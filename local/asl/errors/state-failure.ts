import { StatesError } from './states-error.js';

/**
 * A States.Runtime or States.QueryEvaluationError raised while a state evaluates its fields. AWS
 * prefixes such causes with the state and the id of its Entered event:
 * "An error occurred while executing the state 'X' (entered at the event id #2). <detail>".
 * The engine raises it with the detail only; the state that was executing adds the prefix
 * (`locateStateFailure`) before Retry/Catch or the execution see it.
 */
export class StateFailure extends StatesError {
  constructor(
    error: string,
    readonly detail: string,
  ) {
    super(error, detail);
  }
}

/** The error with AWS's prefix naming the state; other errors unchanged. */
export function locateStateFailure(error: unknown, stateName: string, enteredEventId: number): unknown {
  if (!(error instanceof StateFailure)) return error;
  return new StatesError(
    error.error,
    `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${error.detail}`,
  );
}
