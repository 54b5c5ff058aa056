import type { Catcher } from './definition.js';
import { errorMatches } from './error-matching.js';

/** The first Catcher whose ErrorEquals matches, in definition order. */
export function findCatcher(catchers: readonly Catcher[] | undefined, error: string): Catcher | undefined {
  return catchers?.find((catcher) => errorMatches(catcher.ErrorEquals, error));
}
