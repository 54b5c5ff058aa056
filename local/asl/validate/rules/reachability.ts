import { definitionProblem } from '../definition-problem.js';
import type { MachineScope } from '../definition-walk.js';
import { transitionsOf } from './transitions.js';

/** AWS rejects states that no path from StartAt reaches. Run after the transition targets are checked. */
export function checkReachability(scope: MachineScope): void {
  const startAt = scope.machine.StartAt as string;
  const reached = new Set<string>([startAt]);
  const pending = [startAt];
  while (pending.length > 0) {
    const state = scope.states[pending.pop()!]!;
    for (const { target } of transitionsOf(state)) {
      if (typeof target === 'string' && !reached.has(target)) {
        reached.add(target);
        pending.push(target);
      }
    }
  }
  for (const name of Object.keys(scope.states)) {
    if (!reached.has(name)) {
      throw definitionProblem(`${scope.statesPath}.${name}`, undefined, `the state is not reachable from StartAt "${startAt}"; remove it or add a transition to it`);
    }
  }
}
