import { definitionProblem } from '../definition-problem.js';
import { isObject, type StateVisit } from '../definition-walk.js';
import { showValue } from './shape.js';

const CAN_RETRY = new Set(['Task', 'Parallel', 'Map']);
const ALL = 'States.ALL';

/**
 * Retry and Catch: only on Task/Parallel/Map; non-empty ErrorEquals of strings; States.ALL alone
 * in its ErrorEquals and in the last retrier/catcher; retry timings within AWS's bounds.
 */
export function checkRetryAndCatch({ path, state }: StateVisit): void {
  for (const field of ['Retry', 'Catch'] as const) {
    const list = state[field];
    if (list === undefined) continue;
    if (!CAN_RETRY.has(state.Type as string)) {
      throw definitionProblem(path, field, `only Task, Parallel and Map states can have ${field}, this is a ${String(state.Type)} state`);
    }
    if (!Array.isArray(list)) throw definitionProblem(path, field, `must be an array, got ${showValue(list)}`);
    list.forEach((entry, index) => {
      const entryPath = `${field}[${index}]`;
      if (!isObject(entry)) throw definitionProblem(path, entryPath, `must be an object with ErrorEquals, got ${showValue(entry)}`);
      checkErrorEquals(path, entryPath, entry.ErrorEquals, index === list.length - 1, field);
      if (field === 'Retry') checkRetrier(path, entryPath, entry);
    });
  }
}

function checkErrorEquals(path: string, entryPath: string, errorEquals: unknown, isLast: boolean, field: 'Retry' | 'Catch'): void {
  const at = `${entryPath}.ErrorEquals`;
  if (!Array.isArray(errorEquals) || errorEquals.length === 0) {
    throw definitionProblem(path, at, `must be a non-empty array of error names, got ${showValue(errorEquals)}`);
  }
  errorEquals.forEach((name, index) => {
    if (typeof name !== 'string' || name === '') throw definitionProblem(path, `${at}[${index}]`, `must be an error name, got ${showValue(name)}`);
  });
  if (!errorEquals.includes(ALL)) return;
  if (errorEquals.length > 1) throw definitionProblem(path, at, `${ALL} must appear alone in ErrorEquals, got ${showValue(errorEquals)}`);
  if (!isLast) {
    throw definitionProblem(path, at, `${ALL} must be in the last ${field === 'Retry' ? 'retrier' : 'catcher'}; entries after it could never match`);
  }
}

function checkRetrier(path: string, entryPath: string, retrier: Record<string, unknown>): void {
  const integerAtLeast = (field: string, minimum: number) => {
    const value = retrier[field];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > 99_999_999) {
      throw definitionProblem(path, `${entryPath}.${field}`, `must be an integer from ${minimum} to 99999999, got ${showValue(value)}`);
    }
  };
  integerAtLeast('IntervalSeconds', 1);
  integerAtLeast('MaxAttempts', 0);
  integerAtLeast('MaxDelaySeconds', 1);
  const backoff = retrier.BackoffRate;
  if (backoff !== undefined && (typeof backoff !== 'number' || backoff < 1)) {
    throw definitionProblem(path, `${entryPath}.BackoffRate`, `must be a number of at least 1.0, got ${showValue(backoff)}`);
  }
  const jitter = retrier.JitterStrategy;
  if (jitter !== undefined && jitter !== 'FULL' && jitter !== 'NONE') {
    throw definitionProblem(path, `${entryPath}.JitterStrategy`, `must be FULL or NONE, got ${showValue(jitter)}`);
  }
}
