import { evaluateIntrinsic, isIntrinsicCall } from '../intrinsics/index.js';
import { StatesErrorName } from '../errors/error-names.js';
import { StatesError } from '../errors/states-error.js';
import { StateFailure } from '../errors/state-failure.js';
import { resolveReference, type PathScope } from './jsonpath.js';

/**
 * Evaluates a JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign):
 * keys ending in `.$` take the value of a path or an intrinsic function, the suffix is dropped,
 * everything else is copied.
 */
export function evaluatePayloadTemplate(template: unknown, scope: PathScope, field: string): unknown {
  if (Array.isArray(template)) return template.map((item, i) => evaluatePayloadTemplate(item, scope, `${field}[${i}]`));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      out[key.slice(0, -2)] = evaluateDynamicValue(value, scope, key);
    } else {
      out[key] = evaluatePayloadTemplate(value, scope, `${field}.${key}`);
    }
  }
  return out;
}

function evaluateDynamicValue(expression: string, scope: PathScope, key: string): unknown {
  if (isIntrinsicCall(expression)) return evaluateIntrinsicField(expression, scope, key);
  const lookup = resolveReference(expression, scope);
  if (!lookup.found) {
    // AWS fails the execution with States.Runtime here (not States.ParameterPathFailure).
    throw new StateFailure(
      StatesErrorName.Runtime,
      `The JSONPath '${expression}' specified for the field '${key}' could not be found in the input '${JSON.stringify(scope.input)}'`,
    );
  }
  return lookup.value;
}

function evaluateIntrinsicField(expression: string, scope: PathScope, key: string): unknown {
  try {
    return evaluateIntrinsic(expression, (path) => {
      const lookup = resolveReference(path, scope);
      if (!lookup.found) {
        throw new StateFailure(
          StatesErrorName.Runtime,
          `The function '${expression}' had the following error: The JsonPath argument for the field '${path}' could not be found in the input '${JSON.stringify(scope.input)}'`,
        );
      }
      return lookup.value;
    });
  } catch (error) {
    throw asIntrinsicFailure(error, key, expression);
  }
}

/** Intrinsic errors keep their States.* name when they carry one; anything else is States.IntrinsicFailure. */
function asIntrinsicFailure(error: unknown, key: string, expression: string): StatesError {
  if (error instanceof StatesError) return error;
  const candidate = error as { name?: unknown; message?: unknown } | undefined;
  if (candidate && typeof candidate.name === 'string' && candidate.name.startsWith('States.')) {
    return new StatesError(candidate.name, String(candidate.message ?? ''));
  }
  const reason = candidate && typeof candidate.message === 'string' ? candidate.message : String(error);
  return new StatesError(
    StatesErrorName.IntrinsicFailure,
    `The intrinsic function '${expression}' for field '${key}' failed: ${reason}`,
  );
}
