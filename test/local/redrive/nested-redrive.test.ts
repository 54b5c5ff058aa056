/**
 * Redrive inside Parallel branches (AWS RedriveExecution: successful states, branches and
 * iterations are not re-run; an unsuccessful branch resumes at its unsuccessful state; a
 * Distributed Map redrives its Map Run), over one redrive and over several.
 */
import { describe, expect, it } from 'vitest';
import { TaskFailedError, taskRegistryFrom, type ExecutionResult, type HistoryEvent, type TaskHandler } from '../../../local/asl/index.js';
import { redriveRun, startRun } from './support/redrive-runs.js';

const WORK = 'arn:aws:states:::lambda:invoke';

/** One task for every step: records the step (or item) it was called for and fails those listed in `failing`. */
function recordingTasks(failing: Set<unknown>, hang = new Set<unknown>()) {
  const calls: unknown[] = [];
  const work: TaskHandler = async ({ parameters }) => {
    const { step } = parameters as { step: unknown };
    calls.push(step);
    if (hang.has(step)) return new Promise(() => undefined);
    if (failing.has(step)) throw new TaskFailedError('Work.Failed', `step ${String(step)} failed`);
    return { done: step, seen: parameters };
  };
  return { calls, registry: taskRegistryFrom({ [WORK]: work }) };
}

type Registry = ReturnType<typeof recordingTasks>['registry'];

const start = (definition: object, input: unknown, registry: Registry, signal?: AbortSignal, onEvent?: (event: HistoryEvent) => void) =>
  startRun(definition, input, registry, { executionName: 'nested-redrive', ...(signal ? { signal } : {}), ...(onEvent ? { onEvent } : {}) });
const redrive = redriveRun;

const newEvents = (earlier: ExecutionResult, later: ExecutionResult): HistoryEvent[] => later.history.slice(earlier.history.length);
const enteredNames = (events: HistoryEvent[]): string[] => events.flatMap((event) => event.stateEnteredEventDetails?.name ?? []);

/** IngestAndTrain's shape: ingestion beside a tuning chain whose states hand a variable along. */
const tuning = {
  QueryLanguage: 'JSONata',
  StartAt: 'Before',
  States: {
    Before: { Type: 'Pass', Assign: { run: 'r1' }, Next: 'Both' },
    Both: {
      Type: 'Parallel',
      End: true,
      Branches: [
        { StartAt: 'Ingest', States: { Ingest: { Type: 'Task', Resource: WORK, Arguments: { step: 'ingest' }, End: true } } },
        {
          StartAt: 'Tune',
          States: {
            Tune: { Type: 'Task', Resource: WORK, Arguments: { step: 'tune' }, Assign: { best: '{% "job-" & $states.result.done %}' }, Next: 'ReadBest' },
            ReadBest: { Type: 'Task', Resource: WORK, Arguments: { step: 'read', best: '{% $best %}', run: '{% $run %}' }, Next: 'ListTrials' },
            ListTrials: { Type: 'Task', Resource: WORK, Arguments: { step: 'list', best: '{% $best %}' }, End: true },
          },
        },
      ],
    },
  },
};

describe('redrive of a Parallel: an unsuccessful branch resumes at its unsuccessful state', () => {
  it('does not re-enter the branch states that succeeded, and restores the branch variables', async () => {
    const failing = new Set<unknown>(['read']);
    const tasks = recordingTasks(failing);
    const failed = await start(tuning, {}, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    const redriven = await redrive(tuning, failed, tasks.registry);

    const output = redriven.output as Array<{ done: string; seen: Record<string, unknown> }>;
    expect([failed.status, redriven.status, tasks.calls, enteredNames(newEvents(failed, redriven))]).toEqual([
      'FAILED',
      'SUCCEEDED',
      ['read', 'list'],
      ['Both', 'ReadBest', 'ListTrials'],
    ]);
    // $best was assigned by Tune in the first attempt; $run by the top-level state before the Parallel.
    expect(output[1]?.seen).toEqual({ step: 'list', best: 'job-tune' });
    const readBest = newEvents(failed, redriven).find((event) => event.type === 'TaskScheduled');
    expect(JSON.parse(readBest?.taskScheduledEventDetails?.parameters ?? '{}')).toEqual({ step: 'read', best: 'job-tune', run: 'r1' });
  });

  it('resumes with the input the failed state was entered with, its events chained off the new ParallelStateStarted', async () => {
    const failing = new Set<unknown>(['read']);
    const tasks = recordingTasks(failing);
    const failed = await start(tuning, {}, tasks.registry);
    failing.clear();

    const redriven = await redrive(tuning, failed, tasks.registry);

    const enteredBefore = failed.history.find((event) => event.stateEnteredEventDetails?.name === 'ReadBest');
    const events = newEvents(failed, redriven);
    const started = events.find((event) => event.type === 'ParallelStateStarted');
    const entered = events.find((event) => event.stateEnteredEventDetails?.name === 'ReadBest');
    expect([entered?.stateEnteredEventDetails?.input, entered?.previousEventId]).toEqual([enteredBefore?.stateEnteredEventDetails?.input, started?.id]);
  });

  it('resumes a branch of an execution killed inside it (its closing event chained off the branch) at the state it was in', async () => {
    const tasks = recordingTasks(new Set(), new Set(['read']));
    const control = new AbortController();
    let readScheduled = false;
    const aborted = await start(tuning, {}, tasks.registry, control.signal, (event) => {
      if (event.type === 'TaskScheduled') readScheduled = JSON.parse(event.taskScheduledEventDetails?.parameters ?? '{}').step === 'read';
      if (event.type === 'TaskStarted' && readScheduled) control.abort('kill');
    });
    // What a SIGKILL leaves once closed: the last event written is the branch's, the closing event chains off it.
    const cut = aborted.history.slice(0, -1);
    const last = cut[cut.length - 1]!;
    const killed = { ...aborted, history: [...cut, { ...aborted.history.at(-1)!, id: last.id + 1, previousEventId: last.id }] };
    const healthy = recordingTasks(new Set());

    const redriven = await redrive(tuning, killed, healthy.registry);

    expect([aborted.status, last.type, redriven.status, healthy.calls]).toEqual(['ABORTED', 'TaskStarted', 'SUCCEEDED', ['read', 'list']]);
  });

  it('continues a branch stopped between two states at the next one, with the last output and the variables', async () => {
    const tasks = recordingTasks(new Set());
    const control = new AbortController();
    const aborted = await start(tuning, {}, tasks.registry, control.signal, (event) => {
      if (event.stateExitedEventDetails?.name === 'Tune') control.abort('Stopped by SIGINT');
    });
    tasks.calls.length = 0;

    const redriven = await redrive(tuning, aborted, tasks.registry);

    const output = redriven.output as Array<{ seen: unknown }>;
    expect([aborted.status, redriven.status, tasks.calls, enteredNames(newEvents(aborted, redriven)), output[1]?.seen]).toEqual([
      'ABORTED',
      'SUCCEEDED',
      ['read', 'list'],
      ['Both', 'ReadBest', 'ListTrials'],
      { step: 'list', best: 'job-tune' },
    ]);
  });

  it('a Retry of the Parallel during the redrive runs every branch again from its start (only the first attempt resumes)', async () => {
    const retried = { ...tuning, States: { ...tuning.States, Both: { ...tuning.States.Both, Retry: [{ ErrorEquals: ['Work.Failed'], MaxAttempts: 1, IntervalSeconds: 1 }] } } };
    const failing = new Set<unknown>(['read']);
    const tasks = recordingTasks(failing);
    const failed = await start(retried, {}, tasks.registry);
    tasks.calls.length = 0;
    // The redrive's first attempt fails at ReadBest again; the Retry's attempt then succeeds.
    const { registry } = recordingTasks(new Set());
    let reads = 0;
    const flaky = taskRegistryFrom({
      [WORK]: async (invocation) => {
        const { step } = invocation.parameters as { step: string };
        tasks.calls.push(step);
        if (step === 'read' && reads++ === 0) throw new TaskFailedError('Work.Failed', 'read failed once more');
        return registry.handlerFor({ stateName: invocation.stateName, resource: WORK })!(invocation);
      },
    });

    const redriven = await redrive(retried, failed, flaky);

    expect([redriven.status, [...tasks.calls].sort()]).toEqual(['SUCCEEDED', ['ingest', 'list', 'read', 'read', 'tune']]);
  });

  it('keeps the succeeded inner branch of a Parallel nested in a resumed branch', async () => {
    const nested = {
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Side', States: { Side: { Type: 'Task', Resource: WORK, Parameters: { step: 'side' }, End: true } } },
            {
              StartAt: 'First',
              States: {
                First: { Type: 'Task', Resource: WORK, Parameters: { step: 'first' }, ResultPath: null, Next: 'Inner' },
                Inner: {
                  Type: 'Parallel',
                  Next: 'After',
                  Branches: ['x', 'y'].map((step) => ({ StartAt: `Inner${step}`, States: { [`Inner${step}`]: { Type: 'Task', Resource: WORK, Parameters: { step }, End: true } } })),
                },
                After: { Type: 'Task', Resource: WORK, Parameters: { step: 'after', 'inner.$': '$' }, End: true },
              },
            },
          ],
        },
      },
    };
    const failing = new Set<unknown>(['y']);
    const tasks = recordingTasks(failing);
    const failed = await start(nested, {}, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    const redriven = await redrive(nested, failed, tasks.registry);

    const after = (redriven.output as Array<{ seen: { inner: unknown } }>)[1]?.seen.inner;
    expect([redriven.status, tasks.calls, after]).toEqual([
      'SUCCEEDED',
      ['y', 'after'],
      [
        { done: 'x', seen: { step: 'x' } },
        { done: 'y', seen: { step: 'y' } },
      ],
    ]);
  });
});

describe('redrive of a Distributed Map inside a Parallel branch', () => {
  const definition = {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        End: true,
        Branches: [
          { StartAt: 'Other', States: { Other: { Type: 'Task', Resource: WORK, Parameters: { step: 'other' }, OutputPath: '$.done', End: true } } },
          {
            StartAt: 'Prepare',
            States: {
              Prepare: { Type: 'Task', Resource: WORK, Parameters: { step: 'prepare' }, ResultPath: null, Next: 'EachChild' },
              EachChild: {
                Type: 'Map',
                ItemsPath: '$.items',
                MaxConcurrency: 1,
                ItemProcessor: {
                  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
                  StartAt: 'ChildWork',
                  States: { ChildWork: { Type: 'Task', Resource: WORK, Parameters: { 'step.$': '$' }, OutputPath: '$.done', End: true } },
                },
                End: true,
              },
            },
          },
        ],
      },
    },
  };

  it('re-runs only the failed children of its Map Run, nothing before it in the branch', async () => {
    const failing = new Set<unknown>([20]);
    const tasks = recordingTasks(failing);
    const failed = await start(definition, { items: [10, 20, 30] }, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    const redriven = await redrive(definition, failed, tasks.registry);

    expect([redriven.status, tasks.calls, redriven.output]).toEqual(['SUCCEEDED', [20], ['other', [10, 20, 30]]]);
  });

  it('continues the same Map Run as AWS shows it: MapRunRedriven with the redrive count, no new MapRunStarted, the kept children unchanged', async () => {
    const failing = new Set<unknown>([20]);
    const tasks = recordingTasks(failing);
    const failed = await start(definition, { items: [10, 20, 30] }, tasks.registry);
    failing.clear();
    const earlierRun = failed.mapRuns[0]!;

    const redriven = await redrive(definition, failed, tasks.registry);

    const events = newEvents(failed, redriven);
    const types = events.map((event) => event.type);
    const children = (run: typeof earlierRun) => [...run.executions].sort((a, b) => a.index - b.index).map((child) => [child.index, child.name, child.status]);
    const redrivenRun = redriven.mapRuns[0]!;
    expect([
      types.filter((type) => type.startsWith('MapRun')),
      events.find((event) => event.type === 'MapRunRedriven')?.mapRunRedrivenEventDetails,
      redrivenRun.mapRunArn,
      redrivenRun.status,
    ]).toEqual([['MapRunRedriven', 'MapRunSucceeded'], { mapRunArn: earlierRun.mapRunArn, redriveCount: 1 }, earlierRun.mapRunArn, 'SUCCEEDED']);
    const before = children(earlierRun);
    const after = children(redrivenRun);
    expect([after[0], after[2], after[1]?.[2], after[1]?.[1] === before[1]?.[1]]).toEqual([before[0], before[2], 'SUCCEEDED', false]);
  });
});

describe('a second redrive keeps what succeeded in the first attempt', () => {
  it('does not re-run a Parallel branch that succeeded in attempt 1 (kept, without events, in redrive 1)', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: ['a', 'b'].map((step) => ({ StartAt: step.toUpperCase(), States: { [step.toUpperCase()]: { Type: 'Task', Resource: WORK, Arguments: { step }, Output: '{% $states.result.done %}', End: true } } })),
        },
      },
    };
    const failing = new Set<unknown>(['b']);
    const tasks = recordingTasks(failing);
    const failed = await start(definition, {}, tasks.registry);
    const failedAgain = await redrive(definition, failed, tasks.registry);
    failing.clear();

    const redriven = await redrive(definition, failedAgain, tasks.registry);

    expect([failedAgain.status, redriven.status, redriven.output, tasks.calls]).toEqual(['FAILED', 'SUCCEEDED', ['a', 'b'], ['a', 'b', 'b', 'b']]);
  });

  it('does not re-run an inline Map iteration that succeeded in attempt 1', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: WORK, Parameters: { 'step.$': '$' }, OutputPath: '$.done', End: true } } },
          End: true,
        },
      },
    };
    const failing = new Set<unknown>([2]);
    const tasks = recordingTasks(failing);
    const failed = await start(definition, [1, 2, 3], tasks.registry);
    const failedAgain = await redrive(definition, failed, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    const redriven = await redrive(definition, failedAgain, tasks.registry);

    expect([redriven.status, redriven.output, tasks.calls]).toEqual(['SUCCEEDED', [1, 2, 3], [2, 3]]);
  });

  it('a branch resumed in redrive 1 that fails again resumes at the same state in redrive 2, its variables still restored', async () => {
    const failing = new Set<unknown>(['read']);
    const tasks = recordingTasks(failing);
    const failed = await start(tuning, {}, tasks.registry);
    const failedAgain = await redrive(tuning, failed, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    const redriven = await redrive(tuning, failedAgain, tasks.registry);

    const output = redriven.output as Array<{ seen: unknown }>;
    expect([failedAgain.status, redriven.status, tasks.calls, output[1]?.seen]).toEqual(['FAILED', 'SUCCEEDED', ['read', 'list'], { step: 'list', best: 'job-tune' }]);
  });
});
