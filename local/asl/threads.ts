import type { MapItemContext } from './context-object.js';
import type { Thread } from './run-context.js';

/** Thrown into sibling branches/iterations once one of them failed: they stop without events of their own. */
export class SiblingFailedError extends Error {
  constructor() {
    super('a sibling branch or iteration failed');
    this.name = 'SiblingFailedError';
  }
}

/**
 * A Parallel branch or Map iteration: its events chain from `fromEventId`, it reads the parent's
 * variables but writes its own scope, and it stops when `signal` aborts.
 */
export function childThread(parent: Thread, fromEventId: number, signal: AbortSignal, mapItem?: MapItemContext): Thread {
  return {
    run: parent.run,
    cursor: { lastEventId: fromEventId },
    variables: parent.variables.child(),
    signal,
    ...(mapItem ? { mapItem } : {}),
    ...(parent.mapIndexPath ? { mapIndexPath: parent.mapIndexPath } : {}),
  };
}

/**
 * Runs `count` jobs with at most `limit` at once (0 = no limit), in index order. The first failure
 * aborts `control` so the others stop, and is rethrown once everything settled.
 */
export async function runBounded<T>(
  count: number,
  limit: number,
  control: AbortController,
  job: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let nextIndex = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (nextIndex < count && !firstError) {
      const index = nextIndex++;
      try {
        results[index] = await job(index);
      } catch (error) {
        if (!firstError) {
          firstError = { error };
          control.abort(new SiblingFailedError());
        }
      }
    }
  };
  const workers = Math.max(1, Math.min(count, limit > 0 ? limit : count));
  await Promise.all(Array.from({ length: workers }, worker));
  if (firstError) throw firstError.error;
  return results;
}
