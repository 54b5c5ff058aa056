import { describe, expect, it } from 'vitest';
import { VirtualClock, type TaskHandler } from '../../../local/asl/index.js';
import { run, single } from './run-helper.js';

const RESOURCE = 'arn:aws:states:::ecs:runTask.sync';
const hangs: TaskHandler = ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

describe('timeouts', () => {
  it('TimeoutSeconds fails the Task with States.Timeout and a TaskTimedOut event', async () => {
    const result = await run(single({ Type: 'Task', Resource: RESOURCE, TimeoutSeconds: 300 }), {}, { [RESOURCE]: hangs });
    expect([result.error, result.history.some((event) => event.type === 'TaskTimedOut'), result.stopDate.toISOString()]).toEqual([
      'States.Timeout', true, '2024-01-01T00:05:00.000Z',
    ]);
  });

  it('TimeoutSecondsPath reads the timeout from the input', async () => {
    const result = await run(single({ Type: 'Task', Resource: RESOURCE, TimeoutSecondsPath: '$.limit' }), { limit: 7 }, { [RESOURCE]: hangs });
    expect([result.error, result.clock.sleeps]).toEqual(['States.Timeout', [7000]]);
  });

  it('HeartbeatSeconds fails with States.HeartbeatTimeout when no heartbeat arrives', async () => {
    const result = await run(single({ Type: 'Task', Resource: RESOURCE, TimeoutSeconds: 600, HeartbeatSeconds: 60 }), {}, { [RESOURCE]: hangs });
    expect(result.error).toBe('States.HeartbeatTimeout');
  });

  it('heartbeats keep a task alive for 150 s with HeartbeatSeconds 60', async () => {
    const clock = new VirtualClock();
    const beating: TaskHandler = async ({ heartbeat }) => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(50_000);
        heartbeat();
      }
      return { done: true };
    };
    const result = await run(single({ Type: 'Task', Resource: RESOURCE, HeartbeatSeconds: 60 }), {}, { [RESOURCE]: beating }, { clock });
    expect([result.output, result.stopDate.toISOString()]).toEqual([{ done: true }, '2024-01-01T00:02:30.000Z']);
  });

  it('the state machine TimeoutSeconds ends the execution with ExecutionTimedOut', async () => {
    const definition = { TimeoutSeconds: 30, StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 3600, End: true } } };
    const result = await run(definition);
    expect([result.status, result.error, result.history.at(-1)?.type]).toEqual(['TIMED_OUT', 'States.Timeout', 'ExecutionTimedOut']);
  });

  it('aborting the signal ends the execution with ExecutionAborted', async () => {
    const controller = new AbortController();
    const aborting: TaskHandler = async () => {
      controller.abort('stopped by user');
      return new Promise(() => undefined);
    };
    const result = await run(single({ Type: 'Task', Resource: RESOURCE }), {}, { [RESOURCE]: aborting }, { signal: controller.signal });
    expect([result.status, result.history.at(-1)?.type]).toEqual(['ABORTED', 'ExecutionAborted']);
  });
});
