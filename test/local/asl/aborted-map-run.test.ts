/**
 * A Distributed Map stopped from outside (here: the other branch of its Parallel failed) ends its
 * Map Run ABORTED with a MapRunAborted event, as DescribeMapRun and the history show on AWS. Before,
 * the record stayed RUNNING and the history had no end for the Map Run.
 */
import { describe, expect, it } from 'vitest';
import { TaskFailedError, type TaskInvocation } from '../../../local/asl/task-dispatch.js';
import { run } from './run-helper.js';

const SLOW = 'arn:aws:states:::lambda:invoke';
const FAILS = 'arn:aws:states:::lambda:invoke.failing';

/** A child task that runs until its execution is stopped. */
const untilStopped = ({ signal }: TaskInvocation) =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason ?? new Error('aborted')), { once: true }));

/** Fails once every child task of the Map has started. */
function failAfter(started: Promise<void>) {
  return async () => {
    await started;
    throw new TaskFailedError('Ingest.Boom', 'the other branch failed');
  };
}

describe('a Distributed Map in a cancelled Parallel branch', () => {
  it('ends its Map Run ABORTED, with MapRunAborted in the history', async () => {
    let markStarted = (): void => {};
    const childrenStarted = new Promise<void>((resolve) => (markStarted = resolve));
    let children = 0;
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'Ingest',
              States: {
                Ingest: {
                  Type: 'Map',
                  ItemsPath: '$.items',
                  MaxConcurrency: 2,
                  ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: SLOW, End: true } } },
                  End: true,
                },
              },
            },
            { StartAt: 'Train', States: { Train: { Type: 'Task', Resource: FAILS, End: true } } },
          ],
        },
      },
    };
    const result = await run(definition, { items: [1, 2] }, {
      [SLOW]: (invocation) => {
        children += 1;
        if (children === 2) markStarted();
        return untilStopped(invocation);
      },
      [FAILS]: failAfter(childrenStarted),
    });

    expect([result.status, result.error]).toEqual(['FAILED', 'Ingest.Boom']);
    expect(result.mapRuns.map((mapRun) => [mapRun.stateName, mapRun.status])).toEqual([['Ingest', 'ABORTED']]);
    const types = result.history.map((event) => event.type);
    expect(types).toContain('MapRunAborted');
    expect(types).not.toContain('MapRunSucceeded');
    expect(types).not.toContain('MapRunFailed');
  });

  it('when the execution is stopped, the Map Run is ABORTED by the time the result returns, and nothing follows ExecutionAborted', async () => {
    let markStarted = (): void => {};
    const childrenStarted = new Promise<void>((resolve) => (markStarted = resolve));
    const stop = new AbortController();
    void childrenStarted.then(() => stop.abort('StopExecution'));
    const definition = {
      StartAt: 'Ingest',
      States: {
        Ingest: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: SLOW, End: true } } },
          End: true,
        },
      },
    };
    const result = await run(definition, { items: [1] }, { [SLOW]: (invocation) => (markStarted(), untilStopped(invocation)) }, { signal: stop.signal });
    const statusAtReturn = result.mapRuns.map((mapRun) => mapRun.status);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect([result.status, statusAtReturn]).toEqual(['ABORTED', ['ABORTED']]);
    expect(result.history.at(-1)?.type).toBe('ExecutionAborted');
  });
});
