import { StatesErrorName } from '../errors/error-names.js';
import { StatesError } from '../errors/states-error.js';
import { StateFailure } from '../errors/state-failure.js';
import { parseDefinitePath, resolveReference, resultPathSteps, writeAtPath, type PathScope } from './jsonpath.js';
import { evaluatePayloadTemplate } from './payload-template.js';

/**
 * The JSONPath input/output pipeline of one state:
 * raw input → InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath.
 */

function show(value: unknown): string {
  return JSON.stringify(value);
}

/** InputPath and OutputPath share their rules: null discards the value ({}); absent means "$". */
function selectPath(scope: PathScope, path: string | null | undefined): unknown {
  if (path === null) return {};
  if (path === undefined || path === '$') return scope.input;
  const lookup = resolveReference(path, scope);
  if (!lookup.found) throw new StateFailure(StatesErrorName.Runtime, invalidPathDetail(path, scope));
  return lookup.value;
}

/** `scope.input` is the value the path selects from; `$$` and `$variable` paths read the context and variables. */
export function applyInputPath(scope: PathScope, inputPath: string | null | undefined): unknown {
  return selectPath(scope, inputPath);
}

export function applyOutputPath(scope: PathScope, outputPath: string | null | undefined): unknown {
  return selectPath(scope, outputPath);
}

/**
 * AWS evaluates reference paths with Jayway JsonPath and quotes its message: a missing last
 * property is "No results for path: $['a']['b']", a missing property on the way is
 * "Missing property in path $['a']".
 */
export function invalidPathDetail(path: string, scope: PathScope): string {
  return `Invalid path '${path}' : ${missingPathReason(path, scope)}`;
}

function missingPathReason(path: string, scope: PathScope): string {
  let document: unknown = scope.input;
  let relative = path;
  if (path.startsWith('$$')) {
    document = scope.context;
    relative = path.slice(1);
  } else if (!path.startsWith('$.') && !path.startsWith('$[')) {
    const variable = /^\$([A-Za-z_][\w]*)(.*)$/s.exec(path);
    if (variable && scope.variable) {
      const root = scope.variable(variable[1]!);
      if (!root.found) return `No results for path: $['${variable[1]}']`;
      document = root.value;
      relative = `$${variable[2] ?? ''}`;
    }
  }
  const steps = parseDefinitePath(relative);
  if (!steps) return `No results for path: ${relative}`;
  let current = document;
  let rendered = '$';
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    rendered += typeof step === 'number' ? `[${step}]` : `['${step}']`;
    const present = typeof step === 'number'
      ? Array.isArray(current) && step < current.length
      : current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, step);
    if (!present) return index === steps.length - 1 ? `No results for path: ${rendered}` : `Missing property in path ${rendered}`;
    current = (current as Record<string | number, unknown>)[step];
  }
  return `No results for path: ${rendered}`;
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

/** How a `*Path` field's number is read: whole numbers, floats, or Wait's SecondsPath (a non-negative long). */
export type PathNumberKind = 'integer' | 'float' | 'seconds';

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A value as AWS (Java) prints it in a cause: strings bare, anything else as JSON. */
export function plainText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
}

/**
 * `*Path` fields that hold a number (TimeoutSecondsPath, SecondsPath, MaxConcurrencyPath, ...).
 * Map and ItemReader fields take a number or a numeric string, as AWS does; SecondsPath takes a
 * non-negative whole number only. Causes are AWS's.
 */
export function resolvePathNumber(path: string, field: string, scope: PathScope, kind: PathNumberKind = 'integer'): number {
  const lookup = resolveReference(path, scope);
  if (kind === 'seconds') {
    if (!lookup.found) throw new StateFailure(StatesErrorName.Runtime, `The ${field} parameter does not reference an input value: ${path}`);
    const value = lookup.value;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new StateFailure(StatesErrorName.Runtime, `The ${field} parameter cannot be parsed as a long value: ${path} == ${plainText(value)}`);
    }
    if (value < 0) throw new StateFailure(StatesErrorName.Runtime, `The ${field} parameter references a negative value: ${path} == ${plainText(value)}`);
    return value;
  }
  if (!lookup.found) throw new StateFailure(StatesErrorName.Runtime, invalidPathDetail(path, scope));
  const value = lookup.value;
  let number: number | undefined;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && (kind === 'integer' ? INTEGER_TEXT : FLOAT_TEXT).test(value.trim())) number = Number(value.trim());
  if (number === undefined || !Number.isFinite(number) || (kind === 'integer' && !Number.isInteger(number))) {
    throw new StateFailure(
      StatesErrorName.Runtime,
      `The ${field} field refers to value ${JSON.stringify(plainText(value))} which is not a valid ${kind}: ${path}`,
    );
  }
  return number;
}

/** `*Path` fields that hold anything (ItemsPath, TimestampPath, ...). */
export function resolvePathValue(path: string, scope: PathScope): unknown {
  const lookup = resolveReference(path, scope);
  if (!lookup.found) throw new StateFailure(StatesErrorName.Runtime, invalidPathDetail(path, scope));
  return lookup.value;
}
