/**
 * Retries an AWS call that may throttle: capped exponential backoff with full jitter
 * (delay = random × min(cap, base × 2^(attempt-1))), the scheme AWS recommends so that many
 * clients backing off at once spread out instead of retrying in lockstep.
 */

export interface BackoffPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: Omit<BackoffPolicy, 'maxAttempts'> = { baseDelayMs: 100, maxDelayMs: 5_000 };

export interface BackoffClock {
  sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1). */
  random: () => number;
}

export const realClock: BackoffClock = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export type AttemptOutcome<T> = { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

export function backoffDelayMs(attempt: number, policy: Omit<BackoffPolicy, 'maxAttempts'>, random: () => number): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export async function retryWithBackoff<T>(
  call: () => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: BackoffPolicy,
  clock: BackoffClock = realClock,
): Promise<AttemptOutcome<T>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { ok: true, value: await call(), attempts: attempt };
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isRetryable(error)) return { ok: false, error, attempts: attempt };
      await clock.sleep(backoffDelayMs(attempt, policy, clock.random));
    }
  }
}

const THROTTLING_OR_SERVER_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalFailure',
  'TimeoutError',
  'RequestTimeout',
]);

/** Throttling and 5xx answers heal with time; 4xx validation and permission errors do not. */
export function isThrottlingOrServerError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return THROTTLING_OR_SERVER_ERRORS.has(error.name) || status === 429 || (status !== undefined && status >= 500);
}
