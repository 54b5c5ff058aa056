import type { Retrier } from './definition.js';
import { errorMatches } from './error-matching.js';

/** AWS defaults for a Retrier's optional fields. */
export const RetryDefaults = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2.0 } as const;

/**
 * The delay before retry number `retryIndex` (0 = first retry): IntervalSeconds × BackoffRate^n,
 * capped at MaxDelaySeconds; FULL jitter picks uniformly in [0, delay].
 */
export function retryDelaySeconds(retrier: Retrier, retryIndex: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? RetryDefaults.IntervalSeconds;
  const backoff = retrier.BackoffRate ?? RetryDefaults.BackoffRate;
  let delay = interval * Math.pow(backoff, retryIndex);
  if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') delay = random() * delay;
  return delay;
}

/**
 * Tracks the attempts of one state: each Retrier counts its own retries, and the first Retrier
 * whose ErrorEquals matches decides (once it is exhausted, later Retriers are not consulted).
 */
export class RetryTracker {
  private readonly used: number[];

  constructor(private readonly retriers: readonly Retrier[] = []) {
    this.used = retriers.map(() => 0);
  }

  /** Seconds to wait before the next attempt, or undefined when the error is not retried. */
  nextDelaySeconds(error: string, random: () => number): number | undefined {
    const index = this.retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, error));
    if (index < 0) return undefined;
    const retrier = this.retriers[index] as Retrier;
    const attempts = this.used[index] ?? 0;
    if (attempts >= (retrier.MaxAttempts ?? RetryDefaults.MaxAttempts)) return undefined;
    this.used[index] = attempts + 1;
    return retryDelaySeconds(retrier, attempts, random);
  }
}
