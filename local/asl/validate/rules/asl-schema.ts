import { definitionProblem } from '../definition-problem.js';
import { aslSchemaError } from '../asl-schema-validator.js';
import { statesOf, type JsonObject } from '../definition-walk.js';
import { showValue } from './shape.js';

/**
 * The structural rules of asl-validator's JSON schemas (fields and types of every state type, path
 * syntax, ARN shape). Runs last: pricesense's own rules give sharper messages first.
 */
export function checkAslSchema(definition: JsonObject): void {
  const error = aslSchemaError(withExplicitQueryLanguage(definition));
  if (error === undefined) return;
  const { statePath, field } = splitInstancePath(error.instancePath);
  const value = valueAt(definition, error.instancePath);
  const got = value === undefined ? '' : `, got ${showValue(value)}`;
  throw definitionProblem(statePath, field, `${readable(error.message ?? 'is invalid')}${got} (asl-validator schema ${decodeURIComponent(error.schemaPath)})`);
}

/**
 * A copy in which every state states its effective QueryLanguage, as the schemas require, and
 * where the schemas are stricter than Step Functions, the value is replaced by one they accept.
 * AWS accepts (recorded executions show it): a JSONata Output (state, Choice rule or Catcher) of
 * any JSON value, not only "{% %}"; Assign values of any JSON type (null items in lists too); a
 * Choice Condition written as a boolean literal; a fractional ToleratedFailurePercentage.
 */
function withExplicitQueryLanguage(definition: JsonObject): JsonObject {
  const copy = structuredClone(definition);
  for (const visit of statesOf(copy)) {
    const state = visit.state;
    state.QueryLanguage = visit.queryLanguage;
    if (visit.queryLanguage === 'JSONata') {
      relaxOutput(state);
      if (Array.isArray(state.Choices)) for (const rule of state.Choices) if (isRecord(rule)) { relaxOutput(rule); relaxCondition(rule); }
      if (Array.isArray(state.Catch)) for (const catcher of state.Catch) if (isRecord(catcher)) relaxOutput(catcher);
    }
    const jsonPath = visit.queryLanguage === 'JSONPath';
    relaxAssign(state, jsonPath);
    if (Array.isArray(state.Choices)) for (const rule of state.Choices) if (isRecord(rule)) relaxAssign(rule, jsonPath);
    if (Array.isArray(state.Catch)) for (const catcher of state.Catch) if (isRecord(catcher)) relaxAssign(catcher, jsonPath);
    if (typeof state.ToleratedFailurePercentage === 'number') state.ToleratedFailurePercentage = Math.round(state.ToleratedFailurePercentage);
  }
  return copy;
}

const ANY_EXPRESSION = '{% 0 %}';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function relaxOutput(holder: Record<string, unknown>): void {
  if (holder.Output !== undefined && !(typeof holder.Output === 'string' && holder.Output.startsWith('{%') && holder.Output.endsWith('%}'))) {
    holder.Output = ANY_EXPRESSION;
  }
}

function relaxCondition(rule: Record<string, unknown>): void {
  if (typeof rule.Condition === 'boolean') rule.Condition = ANY_EXPRESSION;
}

/** In a JSONPath state a "{% %}" string in Assign is a literal (AWS stores it as is). */
function relaxAssign(holder: Record<string, unknown>, jsonPath: boolean): void {
  if (isRecord(holder.Assign)) holder.Assign = relaxedValue(holder.Assign, jsonPath);
}

function relaxedValue(value: unknown, jsonPath: boolean): unknown {
  if (value === null) return 0;
  if (jsonPath && typeof value === 'string' && value.includes('{%')) return 'literal';
  if (Array.isArray(value)) return value.map((item) => relaxedValue(item, jsonPath));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key.endsWith('.$') ? item : relaxedValue(item, jsonPath)]));
  }
  return value;
}

/** "/States/Fan/Branches/0/States/Step/Retry/0" → state "States.Fan.Branches[0].States.Step", field "Retry[0]". */
export function splitInstancePath(instancePath: string): { statePath: string; field: string | undefined } {
  const segments = instancePath.split('/').slice(1).map(unescapePointer);
  let fieldStart = 0;
  for (let index = 0; index + 1 < segments.length; index += 1) {
    if (segments[index] === 'States') fieldStart = index + 2;
  }
  const statePath = render(segments.slice(0, fieldStart)) || 'Definition';
  const field = render(segments.slice(fieldStart));
  return { statePath, field: field === '' ? undefined : field };
}

function render(parts: string[]): string {
  return parts.reduce((label, part) => {
    if (/^\d+$/.test(part)) return `${label}[${part}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) return `${label}[${JSON.stringify(part)}]`;
    return label === '' ? part : `${label}.${part}`;
  }, '');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

const FORMAT_MEANINGS: Record<string, string> = {
  asl_path: 'must be a JSONPath such as $.a.b',
  asl_ref_path: 'must be a reference path such as $.a.b[0] (no filters or wildcards)',
  asl_result_path: 'must be a reference path such as $.result (no filters, wildcards or variables)',
  asl_payload_template: 'must be a path ($..., $$..., $variable) or an intrinsic function call',
  asl_arn: 'must be an ARN',
  jsonata_string: 'must be a JSONata expression written "{% ... %}"',
};

function readable(message: string): string {
  const format = /^must match format "([^"]+)"$/.exec(message)?.[1];
  return format !== undefined && FORMAT_MEANINGS[format] !== undefined ? FORMAT_MEANINGS[format] : message;
}

function valueAt(definition: JsonObject, instancePath: string): unknown {
  let value: unknown = definition;
  for (const segment of instancePath.split('/').slice(1).map(unescapePointer)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
