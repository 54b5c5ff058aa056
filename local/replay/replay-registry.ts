/**
 * A TaskRegistry that answers every Task from a recording instead of calling anything: the n-th
 * invocation of a state (per Map iteration) gets the n-th recorded attempt's result or error.
 * Differences in what the Task is called with, and Tasks the recording has no result for, are
 * collected as divergences.
 */
import { StatesErrorName, TaskFailedError, type TaskHandler, type TaskInvocation, type TaskRegistry } from '../asl/index.js';
import { jsonEquals } from '../asl/intrinsics/json-equality.js';
import type { Divergence } from './divergence.js';
import { attemptKey, type RecordedAttempt } from './recorded-tasks.js';

export interface ReplayRegistry extends TaskRegistry {
  readonly divergences: Divergence[];
  /** Recorded attempts nobody asked for (the replay took a shorter path). */
  unused(): RecordedAttempt[];
}

/**
 * States inside a Map iteration do not see their item index (AWS gives $states.context.Map only to
 * ItemSelector), so their invocations are matched to the iteration whose next recorded attempt was
 * called with equal parameters; failing that, to the first iteration with attempts left.
 */
function iterationOf(
  stateName: string,
  parameters: unknown,
  attempts: ReadonlyMap<string, readonly RecordedAttempt[]>,
  consumed: ReadonlyMap<string, number>,
): number | undefined {
  let firstOpen: number | undefined;
  const indices = [...attempts.values()]
    .flatMap((list) => (list[0]?.stateName === stateName && list[0].mapIndex !== undefined ? [list[0].mapIndex] : []))
    .sort((a, b) => a - b);
  for (const index of indices) {
    const key = attemptKey(stateName, index);
    const next = attempts.get(key)?.[consumed.get(key) ?? 0];
    if (!next) continue;
    firstOpen ??= index;
    if (jsonEquals(next.parameters, parameters)) return index;
  }
  return firstOpen;
}

export function replayRegistry(attempts: ReadonlyMap<string, readonly RecordedAttempt[]>, statesInsideMaps: ReadonlySet<string> = new Set()): ReplayRegistry {
  const divergences: Divergence[] = [];
  const consumed = new Map<string, number>();

  const handler: TaskHandler = async (invocation: TaskInvocation) => {
    const mapIndex = statesInsideMaps.has(invocation.stateName)
      ? (invocation.context.Map?.Item.Index ?? iterationOf(invocation.stateName, invocation.parameters, attempts, consumed))
      : undefined;
    const key = attemptKey(invocation.stateName, mapIndex);
    const ordinal = consumed.get(key) ?? 0;
    consumed.set(key, ordinal + 1);
    const recorded = attempts.get(key)?.[ordinal];
    const where = { state: invocation.stateName, ...(mapIndex !== undefined ? { mapIndex } : {}), invocation: ordinal };
    if (!recorded || recorded.outcome.kind === 'unfinished') {
      divergences.push({
        kind: 'no-recorded-result',
        ...where,
        replayedInput: invocation.parameters,
        message: recorded
          ? `Task ${key} invocation ${ordinal} never finished in the recording`
          : `Task ${key} invocation ${ordinal} has no recorded result (the recording has ${attempts.get(key)?.length ?? 0} for it)`,
      });
      throw new TaskFailedError(StatesErrorName.Runtime, `replay: no recorded result for Task ${key} invocation ${ordinal}`);
    }
    if (!jsonEquals(recorded.parameters, invocation.parameters)) {
      divergences.push({
        kind: 'task-input',
        ...where,
        recordedInput: recorded.parameters,
        replayedInput: invocation.parameters,
        message: `Task ${key} invocation ${ordinal} is called with different parameters than recorded`,
      });
    }
    if (recorded.submitted !== undefined) invocation.submitted(recorded.submitted);
    if (recorded.outcome.kind === 'throw') throw new TaskFailedError(recorded.outcome.error, recorded.outcome.cause);
    return structuredClone(recorded.outcome.value);
  };

  return {
    divergences,
    handlerFor: () => handler,
    unused: () => {
      const left: RecordedAttempt[] = [];
      for (const [key, list] of attempts) left.push(...list.slice(consumed.get(key) ?? 0));
      return left.sort((a, b) => a.eventId - b.eventId);
    },
  };
}
