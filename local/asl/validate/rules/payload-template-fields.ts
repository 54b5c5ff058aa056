import { definitionProblem } from '../definition-problem.js';
import { isObject, type StateVisit } from '../definition-walk.js';

const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign', 'Arguments', 'Output'] as const;

/**
 * `"a"` and `"a.$"` in one object would both become `a` once the `.$` is stripped; AWS rejects
 * the definition rather than pick one.
 */
export function checkPayloadTemplateFields({ path, state }: StateVisit): void {
  for (const field of TEMPLATE_FIELDS) walk(state[field], field, path);
}

function walk(value: unknown, fieldPath: string, statePath: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${fieldPath}[${index}]`, statePath));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (key.endsWith('.$') && Object.hasOwn(value, key.slice(0, -2))) {
      throw definitionProblem(statePath, `${fieldPath}[${JSON.stringify(key)}]`, `both "${key.slice(0, -2)}" and "${key}" are set; after the ".$" is stripped they would be the same field`);
    }
    walk(item, `${fieldPath}[${JSON.stringify(key)}]`, statePath);
  }
}
