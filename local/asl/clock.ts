/** Time as the engine sees it: Wait states, retry intervals and timestamps all go through a Clock. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Waits out a TimeoutSeconds / HeartbeatSeconds budget. Absent: the same as `sleep`.
   * @default - sleep
   */
  sleepForTimeout?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Waits out a timeout budget on `clock` (see Clock.sleepForTimeout). */
export function sleepForTimeout(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return clock.sleepForTimeout ? clock.sleepForTimeout(ms, signal) : clock.sleep(ms, signal);
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: realSleep,
};

export interface ScaledClockOptions {
  /**
   * Keep timeouts (execution and task TimeoutSeconds, HeartbeatSeconds) at real speed. Right when
   * the Tasks do real work at real speed (the local pipeline): a 12-hour execution timeout divided
   * by 300 would end a 2.5-minute ETL run with States.Timeout. Wrong for mocked Tasks, where
   * a Wait and a timeout must keep their order (`exec --speed-up`).
   * @default false - timeouts are sped up like every other wait
   */
  realTimeouts?: boolean;
}

/**
 * Real time, but every wait is divided by `speedUp` — a local run of a pipeline with
 * "Wait 60 s" and 20 s retry intervals finishes in seconds. Timestamps stay real.
 */
export function scaledClock(speedUp: number, options: ScaledClockOptions = {}): Clock {
  if (!Number.isFinite(speedUp) || speedUp <= 0) {
    throw new RangeError(`scaledClock: speedUp must be a positive number, got ${String(speedUp)}`);
  }
  return {
    now: () => new Date(),
    sleep: (ms, signal) => realSleep(ms / speedUp, signal),
    ...(options.realTimeouts ? { sleepForTimeout: realSleep } : {}),
  };
}

/**
 * Deterministic clock for tests. Sleeps never take real time: whenever the event loop has
 * nothing else to run, the earliest pending sleep fires and `now` jumps to its due time. So a
 * Wait of 3600 s, a retry backoff and a Task timeout all happen instantly and in the right order.
 * `sleeps` records every requested delay (ms) so tests can assert exact backoff.
 * Handlers that do real I/O (sockets, child processes) should run under systemClock or
 * scaledClock instead: a virtual timeout may fire while their I/O is still in flight.
 */
export class VirtualClock implements Clock {
  private current: number;
  private sequence = 0;
  private readonly pending: { due: number; order: number; fire: () => void }[] = [];
  private drainScheduled = false;
  readonly sleeps: number[] = [];

  constructor(start: Date | string = '2024-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      const entry = {
        due: this.current + Math.max(0, ms),
        order: this.sequence++,
        fire: (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const index = this.pending.indexOf(entry);
        if (index >= 0) this.pending.splice(index, 1);
        reject(abortError(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.push(entry);
      this.scheduleDrain();
    });
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.fireEarliest();
    });
  }

  private fireEarliest(): void {
    if (this.pending.length === 0) return;
    let earliest = 0;
    for (let i = 1; i < this.pending.length; i++) {
      const a = this.pending[i]!;
      const b = this.pending[earliest]!;
      if (a.due < b.due || (a.due === b.due && a.order < b.order)) earliest = i;
    }
    const [entry] = this.pending.splice(earliest, 1);
    if (!entry) return;
    if (entry.due > this.current) this.current = entry.due;
    entry.fire();
    if (this.pending.length > 0) this.scheduleDrain();
  }
}
