import { StatesErrorName } from './errors/error-names.js';

/**
 * Whether an ErrorEquals list matches an error name. States.ALL matches everything and
 * States.TaskFailed everything except States.Timeout; neither matches States.Runtime, which AWS
 * never lets a Retry or Catch handle.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === StatesErrorName.Runtime) return false;
  for (const candidate of errorEquals) {
    if (candidate === error) return true;
    if (candidate === StatesErrorName.All) return true;
    if (candidate === StatesErrorName.TaskFailed && error !== StatesErrorName.Timeout) return true;
  }
  return false;
}
