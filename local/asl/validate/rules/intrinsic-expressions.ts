import { INTRINSIC_FUNCTIONS } from '../../intrinsics/function-table.js';
import { isIntrinsicCall } from '../../intrinsics/evaluate-intrinsic.js';
import { IntrinsicFailureError } from '../../intrinsics/intrinsic-failure-error.js';
import { parseIntrinsic, type IntrinsicNode } from '../../intrinsics/parser.js';
import { definitionProblem } from '../definition-problem.js';
import { isObject, type StateVisit } from '../definition-walk.js';

const PAYLOAD_TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign'] as const;

/**
 * Intrinsic calls in JSONPath payload templates must parse and name known functions, so a typo
 * fails before the run instead of as States.IntrinsicFailure halfway through it.
 */
export function checkIntrinsicExpressions({ path, state, queryLanguage }: StateVisit): void {
  if (queryLanguage !== 'JSONPath') return;
  for (const field of PAYLOAD_TEMPLATE_FIELDS) walk(state[field], field, path);
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, index) => isObject(catcher) && walk(catcher.Assign, `Catch[${index}].Assign`, path));
  }
}

function walk(value: unknown, fieldPath: string, statePath: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${fieldPath}[${index}]`, statePath));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${fieldPath}[${JSON.stringify(key)}]`;
    if (key.endsWith('.$') && typeof item === 'string' && looksLikeIntrinsic(item)) check(item, itemPath, statePath);
    else walk(item, itemPath, statePath);
  }
}

/** A path starts with `$`; anything starting with `States.` is meant as a call, complete or not. */
function looksLikeIntrinsic(value: string): boolean {
  return isIntrinsicCall(value) || value.trimStart().startsWith('States.');
}

function check(expression: string, fieldPath: string, statePath: string): void {
  try {
    const unknown = firstUnknownFunction(parseIntrinsic(expression.trim()));
    if (unknown !== undefined) {
      throw new IntrinsicFailureError(`unknown intrinsic function '${unknown}'; known functions: ${Object.keys(INTRINSIC_FUNCTIONS).join(', ')}`);
    }
  } catch (error) {
    if (error instanceof IntrinsicFailureError) throw definitionProblem(statePath, fieldPath, error.message);
    throw error;
  }
}

function firstUnknownFunction(node: IntrinsicNode): string | undefined {
  if (node.kind !== 'call') return undefined;
  if (!Object.hasOwn(INTRINSIC_FUNCTIONS, node.name)) return node.name;
  for (const argument of node.args) {
    const unknown = firstUnknownFunction(argument);
    if (unknown !== undefined) return unknown;
  }
  return undefined;
}
