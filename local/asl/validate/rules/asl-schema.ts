import aslValidator from 'asl-validator';
import { definitionProblem } from '../definition-problem.js';
import { describe } from './shape.js';
import type { JsonObject, StateVisit } from '../definition-walk.js';

/**
 * The structural rules of asl-validator (JSON schema of every state type, path syntax, ARN shape,
 * mutually exclusive fields). Runs last: pricesense's own rules give sharper messages first.
 */
export function checkAslSchema(definition: JsonObject, visits: StateVisit[]): void {
  // asl-validator writes QueryLanguage into the states it is given: hand it a copy.
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  if (result.isValid) return;
  const first = result.errors[0]!;
  const instancePath = first.schemaError?.instancePath;
  if (instancePath === undefined || instancePath === '') {
    // Its cross-field checks name the state in the message ('State "X" MUST ...'), not a path.
    const named = /State "([^"]+)"/.exec(first.Message)?.[1];
    const statePath = visits.find((visit) => visit.name === named)?.path ?? 'Definition';
    throw definitionProblem(statePath, undefined, `${first.Message} (asl-validator ${first['Error code']})`);
  }
  const { statePath, field } = splitInstancePath(instancePath);
  const detail = readable(first.Message.replace(/^\S+ is invalid\. ?/, ''));
  const value = valueAt(definition, instancePath);
  const got = value === undefined ? '' : `, got ${describe(value)}`;
  throw definitionProblem(statePath, field, `${detail || 'is invalid'}${got} (asl-validator ${first['Error code']}, schema ${first.schemaError?.schemaPath ?? '?'})`);
}

/** "/States/Fan/Branches/0/States/Step/Retry/0" → state "States.Fan.Branches[0].States.Step", field "Retry[0]". */
export function splitInstancePath(instancePath: string): { statePath: string; field: string | undefined } {
  const segments = instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let statePath = '';
  let fieldStart = segments.length;
  for (let index = 0; index < segments.length; index += 1) {
    if (segments[index] === 'States' && index + 1 < segments.length) {
      fieldStart = index + 2;
    }
  }
  const render = (parts: string[]) =>
    parts.reduce((label, part) => {
      if (/^\d+$/.test(part)) return `${label}[${part}]`;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) return `${label}[${JSON.stringify(part)}]`;
      return label === '' ? part : `${label}.${part}`;
    }, '');
  if (fieldStart > segments.length) fieldStart = segments.length;
  statePath = render(segments.slice(0, fieldStart)) || 'Definition';
  const field = render(segments.slice(fieldStart));
  return { statePath, field: field === '' ? undefined : field };
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
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
