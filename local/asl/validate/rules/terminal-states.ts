import { definitionProblem } from '../definition-problem.js';
import type { MachineScope, StateVisit } from '../definition-walk.js';

const SELF_ENDING = new Set(['Choice', 'Succeed', 'Fail']);

/**
 * Choice, Succeed and Fail carry neither Next nor End; every other state has exactly one of
 * Next or `End: true`.
 */
export function checkTerminalState({ path, state }: StateVisit): void {
  const type = state.Type as string;
  if (SELF_ENDING.has(type)) {
    for (const field of ['Next', 'End'] as const) {
      if (state[field] !== undefined) {
        throw definitionProblem(path, field, `a ${type} state cannot have ${field}${type === 'Choice' ? ' (use Choices[].Next and Default)' : ''}`);
      }
    }
    return;
  }
  if (state.End !== undefined && state.End !== true) {
    throw definitionProblem(path, 'End', `must be true when present, got ${JSON.stringify(state.End)}`);
  }
  const hasNext = state.Next !== undefined;
  const hasEnd = state.End === true;
  if (hasNext && hasEnd) throw definitionProblem(path, 'End', 'a state cannot have both Next and End: true');
  if (!hasNext && !hasEnd) {
    throw definitionProblem(path, 'Next', `a ${type} state must have Next or "End": true; without them the execution has nowhere to go`);
  }
}

/** Every States object needs a way out: a Succeed, a Fail or a state with End: true. */
export function checkScopeCanEnd(scope: MachineScope): void {
  const canEnd = Object.values(scope.states).some((state) => state.Type === 'Succeed' || state.Type === 'Fail' || state.End === true);
  if (!canEnd) {
    const containerPath = scope.statesPath === 'States' ? 'Definition' : scope.statesPath.slice(0, -'.States'.length);
    throw definitionProblem(containerPath, 'States', 'no state ends the execution: add a Succeed or Fail state, or "End": true on the last state');
  }
}
