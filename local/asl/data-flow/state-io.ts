import { StatesErrorName } from '../errors/error-names.js';
import { StatesError } from '../errors/states-error.js';
import { lookupPath, resolveReference, resultPathSteps, writeAtPath, type PathScope } from './jsonpath.js';
import { evaluatePayloadTemplate } from './payload-template.js';

/**
 * The JSONPath input/output pipeline of one state:
 * raw input → InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath.
 */

function show(value: unknown): string {
  return JSON.stringify(value);
}

/** InputPath and OutputPath share their rules: null discards the value ({}); absent means "$". */
function selectPath(stateName: string, value: unknown, path: string | null | undefined, field: 'InputPath' | 'OutputPath'): unknown {
  if (path === null) return {};
  if (path === undefined || path === '$') return value;
  const lookup = lookupPath(value, path);
  if (!lookup.found) {
    const where = field === 'InputPath' ? 'input' : 'output';
    throw new StatesError(
      StatesErrorName.Runtime,
      `An error occurred while executing the state '${stateName}'. Invalid path '${path}' : The ${field} could not be found in the ${where} '${show(value)}'`,
    );
  }
  return lookup.value;
}

export function applyInputPath(stateName: string, rawInput: unknown, inputPath: string | null | undefined): unknown {
  return selectPath(stateName, rawInput, inputPath, 'InputPath');
}

export function applyOutputPath(stateName: string, value: unknown, outputPath: string | null | undefined): unknown {
  return selectPath(stateName, value, outputPath, 'OutputPath');
}

/**
 * ResultPath: "$" (the default) replaces the input by the result, null keeps the raw input and
 * drops the result, "$.a.b" writes the result into a copy of the raw input.
 */
export function applyResultPath(
  stateName: string,
  rawInput: unknown,
  resultPath: string | null | undefined,
  result: unknown,
): unknown {
  if (resultPath === null) return rawInput;
  if (resultPath === undefined || resultPath === '$') return result;
  const steps = resultPathSteps(resultPath);
  const written = steps ? writeAtPath(rawInput, steps, result) : null;
  if (!written) {
    throw new StatesError(
      StatesErrorName.ResultPathMatchFailure,
      `An error occurred while executing the state '${stateName}'. Unable to apply ResultPath '${resultPath}' to input '${show(rawInput)}'`,
    );
  }
  return written.value;
}

/** Parameters / ItemSelector: a payload template over the effective input; absent = pass through. */
export function applyPayloadTemplate(template: unknown, scope: PathScope, field: string): unknown {
  if (template === undefined) return scope.input;
  return evaluatePayloadTemplate(template, scope, field);
}

/**
 * JSONPath Assign: `.$` values are paths over the state's result (or effective input for states
 * without a result), `$$` and variables; plain values are taken literally.
 */
export function evaluateJsonPathAssign(assign: Record<string, unknown>, scope: PathScope): Record<string, unknown> {
  return evaluatePayloadTemplate(assign, scope, 'Assign') as Record<string, unknown>;
}

/** `*Path` fields that hold a number (TimeoutSecondsPath, SecondsPath, MaxConcurrencyPath, ...). */
export function resolvePathNumber(stateName: string, path: string, field: string, scope: PathScope): number {
  const lookup = resolveReference(path, scope);
  if (!lookup.found || typeof lookup.value !== 'number' || !Number.isFinite(lookup.value)) {
    throw new StatesError(
      StatesErrorName.Runtime,
      `An error occurred while executing the state '${stateName}'. The ${field} '${path}' must point to a number, but found ${lookup.found ? show(lookup.value) : 'nothing'} in '${show(scope.input)}'`,
    );
  }
  return lookup.value;
}

/** `*Path` fields that hold anything (ItemsPath, TimestampPath, ErrorPath, ...). */
export function resolvePathValue(stateName: string, path: string, field: string, scope: PathScope): unknown {
  const lookup = resolveReference(path, scope);
  if (!lookup.found) {
    throw new StatesError(
      StatesErrorName.Runtime,
      `An error occurred while executing the state '${stateName}'. Invalid path '${path}' in ${field}: nothing found in '${show(scope.input)}'`,
    );
  }
  return lookup.value;
}
