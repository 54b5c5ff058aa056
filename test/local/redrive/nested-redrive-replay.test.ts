/**
 * A recording whose redrives resumed inside a Parallel branch (at its failed state, after a
 * Distributed Map that is not run again, the branch variable restored; the other branch, which
 * succeeded in attempt 1, kept in both redrives)
 * replays IDENTICAL: replay redrives its own history the same way, so each attempt asks for the
 * same Task results in the same places. Only one branch fails per attempt: which of two failing
 * branches fails first depends on timing, and replay cannot reproduce timing. (No Distributed Map
 * child fails either: a redriven Map Run's record keeps only each child's last run, so replay
 * cannot reproduce the earlier failure, at the top level too.)
 */
import { describe, expect, it } from 'vitest';
import { redriveExecution, runExecution, TaskFailedError, taskRegistryFrom, VirtualClock, type ExecutionResult, type MapRunRecord } from '../../../local/asl/index.js';
import { replayExecution } from '../../../local/replay/index.js';

const WORK = 'arn:aws:states:::lambda:invoke';

const definition = {
  QueryLanguage: 'JSONata',
  StartAt: 'IngestAndTrain',
  States: {
    IngestAndTrain: {
      Type: 'Parallel',
      End: true,
      Branches: [
        {
          StartAt: 'Prepare',
          States: {
            Prepare: { Type: 'Task', Resource: WORK, Arguments: { step: 'prepare' }, Assign: { prepared: '{% $states.result.done %}' }, Output: '{% $states.input %}', Next: 'Ingest' },
            Ingest: {
              Type: 'Map',
              Items: '{% $states.input.items %}',
              MaxConcurrency: 1,
              ItemProcessor: {
                ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
                StartAt: 'Put',
                States: { Put: { Type: 'Task', Resource: WORK, Arguments: { step: '{% $states.input %}' }, Output: '{% $states.result.done %}', End: true } },
              },
              Next: 'Check',
            },
            Check: { Type: 'Task', Resource: WORK, Arguments: { step: 'check', rows: '{% $states.input %}', prepared: '{% $prepared %}' }, Output: '{% $states.result.done %}', End: true },
          },
        },
        {
          StartAt: 'Tune',
          States: {
            Tune: { Type: 'Task', Resource: WORK, Arguments: { step: 'tune' }, Assign: { best: '{% $states.result.done %}' }, Next: 'ReadBest' },
            ReadBest: { Type: 'Task', Resource: WORK, Arguments: { step: 'read', best: '{% $best %}' }, Output: '{% $states.result.done %}', End: true },
          },
        },
      ],
    },
  },
};

describe('replay of redrives that resumed inside Parallel branches', () => {
  it('replays identical, both redrives included', async () => {
    const failing = new Set<unknown>(['check']);
    const tasks = taskRegistryFrom({
      [WORK]: async ({ parameters }) => {
        const { step } = parameters as { step: unknown };
        if (failing.has(step)) throw new TaskFailedError('Work.Failed', `step ${String(step)} failed`);
        return { done: step === 'check' ? parameters : step };
      },
    });
    let mapRuns: MapRunRecord[] = [];
    const keep = (result: ExecutionResult): ExecutionResult => {
      const arns = new Set(result.mapRuns.map((run) => run.mapRunArn));
      mapRuns = [...mapRuns.filter((run) => !arns.has(run.mapRunArn)), ...result.mapRuns];
      return result;
    };
    const first = keep(await runExecution({ definition, input: { items: [10, 20, 30] }, tasks, clock: new VirtualClock(), executionName: 'resumed-in-branch' }));
    const again = keep(await redriveExecution({ definition, history: first.history, previousMapRuns: mapRuns, tasks, clock: new VirtualClock(), executionName: first.name }));
    failing.clear();
    const last = keep(await redriveExecution({ definition, history: again.history, previousMapRuns: mapRuns, tasks, clock: new VirtualClock(), executionName: first.name }));

    const report = await replayExecution({
      recording: { execution: { name: first.name, startDate: first.startDate.toISOString() }, definition, events: last.history, mapRuns },
    });

    expect([first.status, again.status, last.status, last.output]).toEqual(['FAILED', 'FAILED', 'SUCCEEDED', [{ step: 'check', rows: [10, 20, 30], prepared: 'prepare' }, 'read']]);
    expect([report.identical, report.redrives, report.divergences.slice(0, 3)]).toEqual([true, 2, []]);
  });
});
