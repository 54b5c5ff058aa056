import { sleepForTimeout, type Clock } from './clock.js';
import { StatesErrorName } from './errors/error-names.js';
import { StatesError } from './errors/states-error.js';
import { StatesHeartbeatTimeoutError, StatesTimeoutError } from './errors/states-timeout.js';
import { TaskFailedError, type TaskHandler, type TaskInvocation } from './task-dispatch.js';

export interface InvokeOptions {
  clock: Clock;
  /** The thread's signal: execution stop or a failed sibling branch. */
  signal: AbortSignal;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  onSubmitted(response: unknown): void;
}

/**
 * A promise that rejects once the signal aborts (never resolves), and the function that detaches
 * it: every task of an execution shares the execution's signal, so listeners must not pile up.
 */
function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; detach: () => void } {
  let onAbort = (): void => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, detach: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Calls a handler under the state's TimeoutSeconds and HeartbeatSeconds. Handler failures become
 * StatesError: TaskFailedError keeps its error name, anything else is States.TaskFailed.
 */
export async function invokeTaskHandler(
  handler: TaskHandler,
  invocation: Omit<TaskInvocation, 'signal' | 'submitted' | 'heartbeat'>,
  options: InvokeOptions,
): Promise<unknown> {
  const handlerControl = new AbortController();
  const timers = new AbortController();
  const forwardAbort = (): void => handlerControl.abort(options.signal.reason);
  options.signal.addEventListener('abort', forwardAbort, { once: true });
  let rearmHeartbeat = (): void => {};
  const executionAbort = rejectOnAbort(options.signal);
  const racers: Promise<unknown>[] = [executionAbort.promise];

  if (options.timeoutSeconds !== undefined) {
    const seconds = options.timeoutSeconds;
    racers.push(
      sleepForTimeout(options.clock, seconds * 1000, timers.signal).then(() => {
        // AWS records a task timeout as States.Timeout with no cause.
        throw new StatesTimeoutError('');
      }),
    );
  }
  if (options.heartbeatSeconds !== undefined) {
    const seconds = options.heartbeatSeconds;
    racers.push(
      new Promise<never>((_, reject) => {
        let beat = new AbortController();
        const arm = (): void => {
          sleepForTimeout(options.clock, seconds * 1000, AbortSignal.any([timers.signal, beat.signal])).then(
            () => reject(new StatesHeartbeatTimeoutError('')),
            () => undefined,
          );
        };
        rearmHeartbeat = () => {
          if (timers.signal.aborted) return;
          beat.abort();
          beat = new AbortController();
          arm();
        };
        arm();
      }),
    );
  }

  const call = Promise.resolve().then(() =>
    handler({
      ...invocation,
      signal: handlerControl.signal,
      submitted: (response) => options.onSubmitted(response),
      heartbeat: () => rearmHeartbeat(),
    }),
  );
  racers.unshift(call);
  try {
    return await Promise.race(racers);
  } catch (error) {
    if (error instanceof StatesTimeoutError || error instanceof StatesHeartbeatTimeoutError) {
      handlerControl.abort(error);
      throw error;
    }
    if (options.signal.aborted && error === options.signal.reason) throw error;
    throw asStatesError(error);
  } finally {
    timers.abort();
    executionAbort.detach();
    options.signal.removeEventListener('abort', forwardAbort);
  }
}

function asStatesError(error: unknown): StatesError {
  if (error instanceof TaskFailedError) return new StatesError(error.error, error.cause ?? '');
  if (error instanceof StatesError) return error;
  const candidate = error as { name?: unknown; message?: unknown } | undefined;
  const detail = candidate && typeof candidate.message === 'string'
    ? `${String(candidate.name ?? 'Error')}: ${candidate.message}`
    : String(error);
  return new StatesError(StatesErrorName.TaskFailed, detail);
}
