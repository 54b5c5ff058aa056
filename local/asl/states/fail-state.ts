import { resolveReference } from '../data-flow/jsonpath.js';
import { StatesErrorName } from '../errors/error-names.js';
import { StateFailure } from '../errors/state-failure.js';
import { evaluatePayloadTemplate } from '../data-flow/payload-template.js';
import { StatesError } from '../errors/states-error.js';
import type { StateFrame } from '../state-frame.js';
import type { StateOutcome } from '../state-runner.js';

/** A Fail state without Error fails with no error name, as in AWS (the history omits it). */
const DEFAULT_FAIL_ERROR = '';

/**
 * Fail: stops its body with Error and Cause. In JSONPath states ErrorPath/CausePath take them
 * from the input (a path or an intrinsic function); in JSONata states Error/Cause may be expressions.
 */
export async function executeFailState(frame: StateFrame): Promise<StateOutcome> {
  const { state, name } = frame;
  let error: unknown = state.Error;
  let cause: unknown = state.Cause;
  if (frame.isJsonata) {
    if (error !== undefined) error = await frame.jsonata(error, 'Error');
    if (cause !== undefined) cause = await frame.jsonata(cause, 'Cause');
  } else {
    const scope = frame.pathScope(frame.rawInput);
    if (state.ErrorPath !== undefined) error = dynamicString(name, state.ErrorPath, 'ErrorPath', scope);
    if (state.CausePath !== undefined) cause = dynamicString(name, state.CausePath, 'CausePath', scope);
  }
  throw new StatesError(
    error === undefined ? DEFAULT_FAIL_ERROR : asText(error),
    cause === undefined ? '' : asText(cause),
  );
}

function dynamicString(_stateName: string, expression: string, field: string, scope: ReturnType<StateFrame['pathScope']>): unknown {
  if (expression.startsWith('States.')) {
    return (evaluatePayloadTemplate({ [`${field}.$`]: expression }, scope, field) as Record<string, unknown>)[field];
  }
  const lookup = resolveReference(expression, scope);
  if (!lookup.found) {
    throw new StateFailure(
      StatesErrorName.Runtime,
      `The JSONPath '${expression}' specified for the field '${field}' could not be found in the input '${JSON.stringify(scope.input)}'`,
    );
  }
  return lookup.value;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
