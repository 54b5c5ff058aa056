/** Waiting for a `.sync` job: describe until a terminal status, sleeping between polls. */
import type { Clock } from '../asl/clock.js';

export interface PollOptions {
  pollIntervalMs: number;
  clock: Pick<Clock, 'sleep'>;
  signal: AbortSignal;
}

/** Calls `describe` until `isDone(result)`; the first describe happens right away. */
export async function pollUntil<T>(describe: () => Promise<T>, isDone: (result: T) => boolean, options: PollOptions): Promise<T> {
  for (;;) {
    if (options.signal.aborted) throw options.signal.reason ?? new Error('aborted');
    const result = await describe();
    if (isDone(result)) return result;
    await options.clock.sleep(options.pollIntervalMs, options.signal);
  }
}
