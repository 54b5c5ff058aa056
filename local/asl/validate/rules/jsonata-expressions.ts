import jsonata from 'jsonata';
import { definitionProblem } from '../definition-problem.js';
import type { StateVisit } from '../definition-walk.js';

/** Nested state machines are validated as their own states; the rest never hold expressions. */
const NOT_EXPRESSIONS = new Set(['Branches', 'ItemProcessor', 'Iterator', 'Comment', 'Type', 'Next', 'End', 'QueryLanguage']);

/** Every `{% ... %}` string of a JSONata state must compile as JSONata. */
export function checkJsonataExpressions({ path, state, queryLanguage }: StateVisit): void {
  if (queryLanguage !== 'JSONata') return;
  for (const [field, value] of Object.entries(state)) {
    if (!NOT_EXPRESSIONS.has(field)) walk(value, field, path);
  }
}

function walk(value: unknown, fieldPath: string, statePath: string): void {
  if (typeof value === 'string') {
    checkExpression(value, fieldPath, statePath);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${fieldPath}[${index}]`, statePath));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      walk(item, /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${fieldPath}.${key}` : `${fieldPath}[${JSON.stringify(key)}]`, statePath);
    }
  }
}

function checkExpression(text: string, fieldPath: string, statePath: string): void {
  const opens = text.startsWith('{%');
  const closes = text.endsWith('%}');
  // Step Functions evaluates only strings that start and end with the markers: " {% x %} " (with
  // spaces around) is a literal string, and AWS accepts it as one.
  if (text.trim() !== text) return;
  if (!opens && !closes) return;
  if (!opens || !closes || text.length < 4) {
    throw definitionProblem(statePath, fieldPath, `a JSONata expression must be the whole string, written "{% expression %}", got ${JSON.stringify(text)}`);
  }
  const body = text.slice(2, -2);
  if (body.trim() === '') throw definitionProblem(statePath, fieldPath, 'the JSONata expression "{% %}" is empty');
  try {
    jsonata(body);
  } catch (error) {
    const detail = error as { message?: string; position?: number };
    const where = detail.position === undefined ? '' : ` at position ${detail.position}`;
    throw definitionProblem(statePath, fieldPath, `invalid JSONata${where}: ${detail.message ?? String(error)} in ${JSON.stringify(text)}`);
  }
}
