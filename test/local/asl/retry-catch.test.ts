import { describe, expect, it } from 'vitest';
import { TaskFailedError, type TaskHandler } from '../../../local/asl/index.js';
import { retryDelaySeconds } from '../../../local/asl/retry.js';
import { run, single } from './run-helper.js';

const RESOURCE = 'arn:aws:states:::lambda:invoke';

/** Fails with `error` for the first `failures` calls, then returns {ok: true}. */
function flaky(failures: number, error = 'Lambda.TooManyRequestsException'): TaskHandler & { calls: number[] } {
  const calls: number[] = [];
  const handler = (async ({ attempt }) => {
    calls.push(attempt);
    if (calls.length <= failures) throw new TaskFailedError(error, `call ${calls.length}`);
    return { ok: true };
  }) as TaskHandler & { calls: number[] };
  handler.calls = calls;
  return handler;
}

function task(extra: object): object {
  return single({ Type: 'Task', Resource: RESOURCE, Parameters: {}, ...extra });
}

describe('Retry', () => {
  it('waits IntervalSeconds × BackoffRate^n capped at MaxDelaySeconds (2, 6, 10 s)', async () => {
    const retry = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 3, MaxDelaySeconds: 10, MaxAttempts: 3, JitterStrategy: 'NONE' }];
    const result = await run(task({ Retry: retry }), {}, { [RESOURCE]: flaky(3) });
    expect(result.clock.sleeps).toEqual([2000, 6000, 10_000]);
  });

  it('defaults to IntervalSeconds 1, BackoffRate 2.0 and MaxAttempts 3', async () => {
    const handler = flaky(10);
    const result = await run(task({ Retry: [{ ErrorEquals: ['States.ALL'] }] }), {}, { [RESOURCE]: handler });
    expect([result.clock.sleeps, handler.calls.length, result.error]).toEqual([[1000, 2000, 4000], 4, 'Lambda.TooManyRequestsException']);
  });

  it('passes the attempt number and $$.State.RetryCount to the handler', async () => {
    const seen: Array<[number, number | undefined]> = [];
    const handler: TaskHandler = async ({ attempt, context }) => {
      seen.push([attempt, context.State.RetryCount]);
      if (seen.length < 3) throw new TaskFailedError('Retryable');
      return {};
    };
    await run(task({ Retry: [{ ErrorEquals: ['Retryable'] }] }), {}, { [RESOURCE]: handler });
    expect(seen).toEqual([[0, 0], [1, 1], [2, 2]]);
  });

  it('MaxAttempts 0 never retries', async () => {
    const handler = flaky(1);
    const result = await run(task({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }] }), {}, { [RESOURCE]: handler });
    expect([handler.calls.length, result.status]).toEqual([1, 'FAILED']);
  });

  it('FULL jitter scales the delay by the random draw', async () => {
    const retry = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 4, BackoffRate: 2, JitterStrategy: 'FULL' }];
    const result = await run(task({ Retry: retry }), {}, { [RESOURCE]: flaky(2) }, { random: () => 0.25 });
    expect(result.clock.sleeps).toEqual([1000, 2000]);
  });

  it('FULL jitter stays within [0, delay] for any draw', () => {
    const retrier = { ErrorEquals: ['States.ALL'], IntervalSeconds: 3, BackoffRate: 2, MaxDelaySeconds: 20, JitterStrategy: 'FULL' as const };
    const delays = [0, 0.5, 0.999999].flatMap((draw) => [0, 1, 2, 3, 4].map((n) => retryDelaySeconds(retrier, n, () => draw)));
    expect(delays.every((delay, i) => delay >= 0 && delay <= Math.min(20, 3 * 2 ** (i % 5)))).toBe(true);
  });

  it('only the first matching Retrier counts; an exhausted one does not fall through', async () => {
    const retry = [{ ErrorEquals: ['Custom'], MaxAttempts: 1 }, { ErrorEquals: ['States.ALL'], MaxAttempts: 5 }];
    const handler = flaky(10, 'Custom');
    await run(task({ Retry: retry }), {}, { [RESOURCE]: handler });
    expect(handler.calls.length).toBe(2);
  });

  it('States.TaskFailed does not match States.Timeout', async () => {
    const never: TaskHandler = ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const result = await run(task({ TimeoutSeconds: 5, Retry: [{ ErrorEquals: ['States.TaskFailed'] }] }), {}, { [RESOURCE]: never });
    expect([result.error, result.clock.sleeps]).toEqual(['States.Timeout', [5000]]);
  });
});

describe('Catch', () => {
  it('a caught error goes to Next with {Error, Cause} at ResultPath', async () => {
    const definition = {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: RESOURCE, Catch: [{ ErrorEquals: ['CustomError'], ResultPath: '$.error', Next: 'Recover' }], End: true },
        Recover: { Type: 'Pass', End: true },
      },
    };
    const result = await run(definition, { keep: 1 }, { [RESOURCE]: flaky(1, 'CustomError') });
    expect([result.path, result.output]).toEqual([['Call', 'Recover'], { keep: 1, error: { Error: 'CustomError', Cause: 'call 1' } }]);
  });

  it('without ResultPath the Catch output is the error object', async () => {
    const definition = {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: RESOURCE, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }], End: true },
        Recover: { Type: 'Pass', End: true },
      },
    };
    const result = await run(definition, { keep: 1 }, { [RESOURCE]: flaky(1, 'Boom') });
    expect(result.output).toEqual({ Error: 'Boom', Cause: 'call 1' });
  });

  it('retries run before the Catch takes over', async () => {
    const handler = flaky(10, 'Boom');
    const definition = {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task', Resource: RESOURCE,
          Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }], End: true,
        },
        Recover: { Type: 'Pass', End: true },
      },
    };
    const result = await run(definition, {}, { [RESOURCE]: handler });
    expect([handler.calls, result.path]).toEqual([[0, 1, 2], ['Call', 'Recover']]);
  });

  it('a handler that throws a plain Error fails with States.TaskFailed', async () => {
    const result = await run(task({}), {}, { [RESOURCE]: async () => { throw new Error('disk full'); } });
    expect([result.error, result.cause]).toEqual(['States.TaskFailed', 'Error: disk full']);
  });

  it('a Task without a handler fails with States.Runtime naming state and resource, and is not caught', async () => {
    const definition = {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }], End: true },
        Recover: { Type: 'Pass', End: true },
      },
    };
    const result = await run(definition);
    expect([result.status, result.error, result.cause?.includes("state 'Call'"), result.cause?.includes('arn:aws:states:::glue:startJobRun.sync')]).toEqual([
      'FAILED', 'States.Runtime', true, true,
    ]);
  });
});
