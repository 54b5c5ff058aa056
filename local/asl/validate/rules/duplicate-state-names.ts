import { definitionProblem } from '../definition-problem.js';
import type { StateVisit } from '../definition-walk.js';

/** AWS requires state names to be unique across the whole machine, nested branches included. */
export function checkDuplicateStateNames(visits: StateVisit[]): void {
  const firstSeen = new Map<string, string>();
  for (const visit of visits) {
    const earlier = firstSeen.get(visit.name);
    if (earlier !== undefined) {
      throw definitionProblem(visit.path, undefined, `the state name "${visit.name}" is already used by ${earlier}; state names must be unique in the whole state machine`);
    }
    firstSeen.set(visit.name, visit.path);
  }
}
