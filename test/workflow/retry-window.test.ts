/**
 * Issue 14, case 10: a second run failed with Glue.ConcurrentRunsExceeded because the retry
 * window was shorter than an ETL run. The window for that error now outlasts the Glue timeout.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../workflow/config.js';
import { expectedRetryWindowSeconds, RetryPolicies } from '../../workflow/retry-policies.js';
import { StateName } from '../../workflow/names.js';
import { aslForTest } from '../support/synth.js';

describe('retrying Glue.ConcurrentRunsExceededException', () => {
  it('waits longer, on average, than a Glue job run may take (its timeout)', () => {
    expect({
      window: expectedRetryWindowSeconds(RetryPolicies.glueConcurrentRuns),
      timeout: DEFAULT_CONFIG.glue.timeoutMinutes * 60,
      longer: expectedRetryWindowSeconds(RetryPolicies.glueConcurrentRuns) > DEFAULT_CONFIG.glue.timeoutMinutes * 60 * 1.25,
    }).toEqual({ window: 5250, timeout: 3600, longer: true });
  });

  it.each([StateName.RawToSilver, StateName.SilverToGold])('%s matches it with its own retrier, first', (name) => {
    const states = aslForTest().States as Record<string, unknown>;
    const retry = (states[name] as { Retry: Array<Record<string, unknown>> }).Retry;
    expect(retry[0]).toEqual({
      ErrorEquals: ['Glue.ConcurrentRunsExceededException'],
      IntervalSeconds: 60,
      MaxAttempts: 20,
      MaxDelaySeconds: 600,
      BackoffRate: 2,
      JitterStrategy: 'FULL',
    });
    expect(retry.slice(1).flatMap((r) => r.ErrorEquals as string[])).not.toContain('Glue.ConcurrentRunsExceededException');
  });
});
