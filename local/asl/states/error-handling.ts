import { findCatcher } from '../catch.js';
import { StatesError } from '../errors/states-error.js';
import { locateStateFailure } from '../errors/state-failure.js';
import { RetryTracker } from '../retry.js';
import type { StateFrame, StateOutput } from '../state-frame.js';
import { nextOf, type StateOutcome } from '../state-runner.js';

/**
 * Runs the work of a Task, Map or Parallel state under its Retry and Catch fields: retries wait
 * on the clock with backoff, an error no Retrier heals goes to the first matching Catcher.
 * `onCaught` lets the state record its own failure event before control moves on.
 */
export async function runWithRetryAndCatch(frame: StateFrame, attempt: () => Promise<StateOutput>): Promise<StateOutcome> {
  const { run, signal } = frame.thread;
  const retries = new RetryTracker(frame.state.Retry);
  for (;;) {
    try {
      const result = await attempt();
      return { ...result, next: nextOf(frame.state) };
    } catch (thrown) {
      const error = locateStateFailure(thrown, frame.name, frame.enteredEventId);
      if (!(error instanceof StatesError)) throw error;
      const delaySeconds = retries.nextDelaySeconds(error.error, run.random);
      if (delaySeconds !== undefined) {
        await run.clock.sleep(delaySeconds * 1000, signal);
        frame.retryCount += 1;
        continue;
      }
      const catcher = findCatcher(frame.state.Catch, error.error);
      if (!catcher) throw error;
      const caught = await frame.finishWithError(error, catcher);
      return { ...caught, next: catcher.Next };
    }
  }
}
