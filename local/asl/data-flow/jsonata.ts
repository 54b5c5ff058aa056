import jsonata from 'jsonata';
import { StatesErrorName } from '../errors/error-names.js';
import { StateFailure } from '../errors/state-failure.js';
import { stepFunctionsJsonataFunctions } from '../intrinsics/index.js';

type Expression = ReturnType<typeof jsonata>;

const compiled = new Map<string, Expression>();
const templatePattern = /^\{%([\s\S]*)%\}$/;

/** The `$states` reserved variable as a JSONata state sees it. */
export interface StatesBinding {
  input: unknown;
  context: unknown;
  result?: unknown;
  errorOutput?: unknown;
}

/** Options of one evaluation. */
export interface JsonataEvaluationOptions {
  /** Uniform in [0, 1); what `$random()` without a seed returns. @default Math.random */
  random?: () => number;
}

const defaultFunctions = stepFunctionsJsonataFunctions();

/**
 * $partition, $range, $hash, $random, $uuid and $parse, which Step Functions adds to JSONata.
 * Bound before the state's variables and `$states`, as those are what a state author named.
 */
function functionBindings(options: JsonataEvaluationOptions): Record<string, unknown> {
  return options.random ? stepFunctionsJsonataFunctions({ random: options.random }) : defaultFunctions;
}

/** A string field of the form `{% expression %}`. */
export function isJsonataTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}') && value.length >= 4;
}

/** The expression of a `{% %}` string as AWS quotes it in causes: without the markers, trimmed. */
export function jsonataSource(template: string): string {
  return (templatePattern.exec(template)?.[1] ?? '').trim();
}

/** JSON type names as AWS uses them in "Expected 'array', but was 'object'". */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function compile(source: string, field: string): Expression {
  let expression = compiled.get(source);
  if (!expression) {
    try {
      expression = jsonata(source);
    } catch (error) {
      throw new StateFailure(
        StatesErrorName.QueryEvaluationError,
        `The JSONata expression '${source}' specified for the field '${field}' threw an error during evaluation. ${messageOf(error)}`,
      );
    }
    compiled.set(source, expression);
  }
  return expression;
}

/** JSONata errors as AWS quotes them: "T1006: Attempted to invoke a non-function". */
function messageOf(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const { code, message } = error as { code?: unknown; message: unknown };
    return typeof code === 'string' ? `${code}: ${String(message)}` : String(message);
  }
  return String(error);
}

/** JSONata sequences and functions are not JSON; bring results back to plain JSON values. */
function toJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'function') return undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = toJson(item);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }
  return value;
}

/** Evaluates one `{% %}` string. An expression that yields nothing is an error, as in AWS. */
export async function evaluateJsonata(
  template: string,
  states: StatesBinding,
  variables: Record<string, unknown>,
  field: string,
  options: JsonataEvaluationOptions = {},
): Promise<unknown> {
  const source = jsonataSource(template);
  const expression = compile(source, field);
  let result: unknown;
  try {
    result = await expression.evaluate(states.input, { ...functionBindings(options), ...variables, states });
  } catch (error) {
    throw new StateFailure(
      StatesErrorName.QueryEvaluationError,
      `The JSONata expression '${source}' specified for the field '${field}' threw an error during evaluation. ${messageOf(error)}`,
    );
  }
  if (result === undefined) {
    throw new StateFailure(
      StatesErrorName.QueryEvaluationError,
      `The JSONata expression '${source}' specified for the field '${field}' returned nothing (undefined).`,
    );
  }
  if (typeof result === 'function') {
    throw new StateFailure(
      StatesErrorName.QueryEvaluationError,
      `The JSONata expression '${source}' specified for the field '${field}' returned an unsupported result type.`,
    );
  }
  return toJson(result);
}

/**
 * Walks a JSON value (Arguments, Output, Assign, Items, ...) and replaces every `{% %}` string
 * by its value; everything else is copied as is.
 */
export async function evaluateJsonataTemplate(
  value: unknown,
  states: StatesBinding,
  variables: Record<string, unknown>,
  field: string,
  options: JsonataEvaluationOptions = {},
): Promise<unknown> {
  if (isJsonataTemplate(value)) return evaluateJsonata(value, states, variables, field, options);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      out.push(await evaluateJsonataTemplate(value[i], states, variables, `${field}/${i}`, options));
    }
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // AWS names nested fields with slashes: 'Arguments/FunctionName', 'Assign/result'.
      out[key] = await evaluateJsonataTemplate(item, states, variables, `${field}/${key}`, options);
    }
    return out;
  }
  return value;
}
