import type { ChoiceRule } from './definition.js';
import { resolveReference, type PathScope } from './data-flow/jsonpath.js';
import { StatesErrorName } from './errors/error-names.js';
import { StatesError } from './errors/states-error.js';
import { StateFailure } from './errors/state-failure.js';

type Comparison = (actual: unknown, expected: unknown) => boolean;

const isNumber = (value: unknown): value is number => typeof value === 'number';
const isString = (value: unknown): value is string => typeof value === 'string';
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const timestampOf = (value: unknown): number | undefined =>
  isString(value) && rfc3339.test(value) ? Date.parse(value) : undefined;

function ordered<T>(read: (value: unknown) => T | undefined, test: (a: T, b: T) => boolean): Comparison {
  return (actual, expected) => {
    const a = read(actual);
    const b = read(expected);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

const asNumber = (value: unknown): number | undefined => (isNumber(value) ? value : undefined);
const asString = (value: unknown): string | undefined => (isString(value) ? value : undefined);
const asBoolean = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcardMatch(text: string, pattern: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '\\' && i + 1 < pattern.length) {
      regex += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (char === '*') {
      regex += '.*';
    } else {
      regex += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${regex}$`, 's').test(text);
}

/** Data-test comparison operators; each also exists with a `Path` suffix comparing to another path. */
const comparisons: Record<string, Comparison> = {
  StringEquals: ordered(asString, (a, b) => a === b),
  StringLessThan: ordered(asString, (a, b) => a < b),
  StringGreaterThan: ordered(asString, (a, b) => a > b),
  StringLessThanEquals: ordered(asString, (a, b) => a <= b),
  StringGreaterThanEquals: ordered(asString, (a, b) => a >= b),
  StringMatches: ordered(asString, (a, b) => wildcardMatch(a, b)),
  NumericEquals: ordered(asNumber, (a, b) => a === b),
  NumericLessThan: ordered(asNumber, (a, b) => a < b),
  NumericGreaterThan: ordered(asNumber, (a, b) => a > b),
  NumericLessThanEquals: ordered(asNumber, (a, b) => a <= b),
  NumericGreaterThanEquals: ordered(asNumber, (a, b) => a >= b),
  BooleanEquals: ordered(asBoolean, (a, b) => a === b),
  TimestampEquals: ordered(timestampOf, (a, b) => a === b),
  TimestampLessThan: ordered(timestampOf, (a, b) => a < b),
  TimestampGreaterThan: ordered(timestampOf, (a, b) => a > b),
  TimestampLessThanEquals: ordered(timestampOf, (a, b) => a <= b),
  TimestampGreaterThanEquals: ordered(timestampOf, (a, b) => a >= b),
};

/** Type tests: compare the test's outcome with the boolean in the rule. */
const typeTests: Record<string, (value: unknown, present: boolean) => boolean> = {
  IsNull: (value, present) => present && value === null,
  IsPresent: (_value, present) => present,
  IsNumeric: (value, present) => present && isNumber(value),
  IsString: (value, present) => present && isString(value),
  IsBoolean: (value, present) => present && typeof value === 'boolean',
  IsTimestamp: (value, present) => present && timestampOf(value) !== undefined,
};

/** Evaluates a JSONPath Choice rule (And/Or/Not or one comparison on Variable). */
export function evaluateChoiceRule(rule: ChoiceRule, scope: PathScope, stateName: string): boolean {
  if (rule.And) return rule.And.every((inner) => evaluateChoiceRule(inner, scope, stateName));
  if (rule.Or) return rule.Or.some((inner) => evaluateChoiceRule(inner, scope, stateName));
  if (rule.Not) return !evaluateChoiceRule(rule.Not, scope, stateName);
  const variable = rule.Variable;
  if (typeof variable !== 'string') {
    throw new StatesError(StatesErrorName.Runtime, `A Choice rule of state '${stateName}' has no Variable`);
  }
  const lookup = resolveReference(variable, scope);
  const actual = lookup.found ? lookup.value : undefined;
  for (const [operator, test] of Object.entries(typeTests)) {
    if (operator in rule) return test(actual, lookup.found) === rule[operator];
  }
  for (const [operator, compare] of Object.entries(comparisons)) {
    if (operator in rule) {
      if (!lookup.found) throw invalidPath(stateName, variable, scope);
      return compare(actual, rule[operator]);
    }
    const pathOperator = `${operator}Path`;
    if (pathOperator in rule) {
      if (!lookup.found) throw invalidPath(stateName, variable, scope);
      const otherPath = String(rule[pathOperator]);
      const other = resolveReference(otherPath, scope);
      if (!other.found) throw invalidPath(stateName, otherPath, scope);
      return compare(actual, other.value);
    }
  }
  throw new StatesError(StatesErrorName.Runtime, `A Choice rule of state '${stateName}' has no known comparison operator: ${JSON.stringify(rule)}`);
}

/** AWS's cause (after the state prefix): "Invalid path '$.x': The choice state's condition path references an invalid value." */
function invalidPath(_stateName: string, path: string, _scope: PathScope): StatesError {
  return new StateFailure(StatesErrorName.Runtime, `Invalid path '${path}': The choice state's condition path references an invalid value.`);
}
