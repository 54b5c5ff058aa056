import aslValidator from 'asl-validator';
import { definitionProblem } from '../definition-problem.js';
import type { JsonObject } from '../definition-walk.js';

/**
 * The structural rules of asl-validator (JSON schema of every state type, path syntax, ARN shape,
 * mutually exclusive fields). Runs last: pricesense's own rules give sharper messages first.
 */
export function checkAslSchema(definition: JsonObject): void {
  // asl-validator writes QueryLanguage into the states it is given: hand it a copy.
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  if (result.isValid) return;
  const first = result.errors[0]!;
  const instancePath = first.schemaError?.instancePath;
  if (instancePath === undefined || instancePath === '') {
    throw definitionProblem('Definition', undefined, `${first.Message} (${first['Error code']})`);
  }
  const { statePath, field } = splitInstancePath(instancePath);
  const detail = first.Message.replace(/^\S+ is invalid\. ?/, '');
  throw definitionProblem(statePath, field, `${detail || 'is invalid'} (asl-validator ${first['Error code']}, schema ${first.schemaError?.schemaPath ?? '?'})`);
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
    parts.reduce((label, part) => (/^\d+$/.test(part) ? `${label}[${part}]` : label === '' ? part : `${label}.${part}`), '');
  if (fieldStart > segments.length) fieldStart = segments.length;
  statePath = render(segments.slice(0, fieldStart)) || 'Definition';
  const field = render(segments.slice(fieldStart));
  return { statePath, field: field === '' ? undefined : field };
}
