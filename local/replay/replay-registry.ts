/**
 * A TaskRegistry that answers every Task from a recording instead of calling anything: the n-th
 * invocation of a state (per Map iteration) gets the n-th recorded attempt's result or error.
 * Differences in what the Task is called with, and Tasks the recording has no result for, are
 * collected as divergences.
 *
 * Invocations are paired with recorded attempts by the position of their Map iteration (the
 * interpreter reports each Task's `mapIndexPath`; the recording's comes from its
 * MapIterationStarted events), never by comparing parameters: iterations of a nested Map often
 * call a Task with identical parameters, and each must get its own iteration's result.
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

export interface ReplayRegistryOptions {
  /**
   * Called for an attempt the recording never finished (the process was aborted or killed during
   * it): the replay stops its execution the same way. Without it, such an attempt is a divergence.
   */
  onUnfinished?: (attempt: RecordedAttempt) => Promise<never> | undefined;
}

export function replayRegistry(attempts: ReadonlyMap<string, readonly RecordedAttempt[]>, _statesInsideMaps?: unknown, options: ReplayRegistryOptions = {}): ReplayRegistry {
  const divergences: Divergence[] = [];
  const consumed = new Map<string, number>();

  const handler: TaskHandler = async (invocation: TaskInvocation) => {
    const path = invocation.mapIndexPath ?? [];
    const mapIndex = path.at(-1);
    const key = attemptKey(invocation.stateName, path);
    const ordinal = consumed.get(key) ?? 0;
    consumed.set(key, ordinal + 1);
    const recorded = attempts.get(key)?.[ordinal];
    const where = { state: invocation.stateName, ...(mapIndex !== undefined ? { mapIndex } : {}), invocation: ordinal };
    if (recorded?.outcome.kind === 'unfinished' && options.onUnfinished) {
      const stop = options.onUnfinished(recorded);
      if (stop) return stop;
    }
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
      return left.filter((attempt) => attempt.outcome.kind !== 'unfinished').sort((a, b) => a.eventId - b.eventId);
    },
  };
}
