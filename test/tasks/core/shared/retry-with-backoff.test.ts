import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isThrottlingOrServerError, retryWithBackoff } from '../../../../tasks/core/shared/retry-with-backoff.js';

const throttle = () => Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

describe('retryWithBackoff', () => {
  it('sleeps a fully jittered, capped, exponential delay between attempts', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const outcome = await retryWithBackoff(
      async () => {
        calls += 1;
        throw throttle();
      },
      isThrottlingOrServerError,
      policy,
      { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    );

    expect(outcome).toMatchObject({ ok: false, attempts: 4 });
    expect(calls).toBe(4);
    expect(sleeps).toEqual([50, 100, 125]);
  });

  it('returns the value once a throttled call heals', async () => {
    let calls = 0;
    const outcome = await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls < 3) throw throttle();
        return 'written';
      },
      isThrottlingOrServerError,
      policy,
      { sleep: async () => undefined, random: () => 0 },
    );

    expect(outcome).toEqual({ ok: true, value: 'written', attempts: 3 });
  });

  it('does not retry an error that will not heal', async () => {
    const outcome = await retryWithBackoff(
      async () => {
        throw Object.assign(new Error('bad'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
      },
      isThrottlingOrServerError,
      policy,
      { sleep: async () => undefined, random: () => 0 },
    );

    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
  });
});

describe('backoffDelayMs', () => {
  it('is random x min(cap, base x 2^(attempt-1))', () => {
    expect(backoffDelayMs(3, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.25)).toBe(100);
    expect(backoffDelayMs(10, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.5)).toBe(2500);
  });
});

describe('isThrottlingOrServerError', () => {
  it.each([
    ['ThrottlingException', 400, true],
    ['ServiceUnavailable', 503, true],
    ['InternalFailure', 500, true],
    ['SomethingNew', 502, true],
    ['ValidationError', 400, false],
    ['ResourceNotFound', 404, false],
  ])('%s (HTTP %i) → %s', (name, httpStatusCode, expected) => {
    expect(isThrottlingOrServerError(Object.assign(new Error('x'), { name, $metadata: { httpStatusCode } }))).toBe(expected);
  });
});
