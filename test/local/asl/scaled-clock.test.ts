// The local pipeline speeds up Waits and retry delays, while its Tasks do real work at real speed:
// a sped-up 12-hour execution timeout once ended a 2.5-minute 2.67M-row run with States.Timeout.
import { describe, expect, it } from 'vitest';
import { scaledClock, type TaskHandler } from '../../../local/asl/index.js';
import { run, single } from './run-helper.js';

const RESOURCE = 'arn:aws:states:::ecs:runTask.sync';
/** Real work that takes 300 ms of real time, whatever the clock. */
const realWork: TaskHandler = () => new Promise((resolve) => setTimeout(() => resolve({ done: true }), 300));

describe('scaledClock', () => {
  it('with realTimeouts, a task timeout is not sped up: 60 s at 1000x still lets 300 ms of real work finish', async () => {
    const clock = scaledClock(1000, { realTimeouts: true });

    const result = await run(single({ Type: 'Task', Resource: RESOURCE, TimeoutSeconds: 60 }), {}, { [RESOURCE]: realWork }, { clock });

    expect([result.status, result.output]).toEqual(['SUCCEEDED', { done: true }]);
  });

  it('with realTimeouts, the execution timeout is not sped up either', async () => {
    const clock = scaledClock(1000, { realTimeouts: true });
    const definition = { TimeoutSeconds: 60, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: RESOURCE, End: true } } };

    const result = await run(definition, {}, { [RESOURCE]: realWork }, { clock });

    expect(result.status).toBe('SUCCEEDED');
  });

  it('without it (exec --speed-up over mocked Tasks), the timeout is sped up like the Wait, so their order holds', async () => {
    const clock = scaledClock(1000);

    const result = await run(single({ Type: 'Task', Resource: RESOURCE, TimeoutSeconds: 60 }), {}, { [RESOURCE]: realWork }, { clock });

    expect([result.status, result.error]).toEqual(['FAILED', 'States.Timeout']);
  });

  it('Waits are sped up in both modes: a 100 s Wait inside a 60 s real execution timeout succeeds', async () => {
    const clock = scaledClock(1000, { realTimeouts: true });
    const definition = { TimeoutSeconds: 60, StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 100, End: true } } };

    const result = await run(definition, {}, {}, { clock });

    expect(result.status).toBe('SUCCEEDED');
  });
});
