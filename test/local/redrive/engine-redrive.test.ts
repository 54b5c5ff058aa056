import { describe, expect, it } from 'vitest';
import { redriveExecution, TaskFailedError, taskRegistryFrom, VirtualClock, type TaskHandler, type TaskRegistry } from '../../../local/asl/index.js';
import { redriveRun, startRun } from './support/redrive-runs.js';

const WORK = 'arn:aws:states:::lambda:invoke';
const BEFORE = 'arn:aws:states:::sns:publish';

/** A task that records every call and fails for the items listed in `failing` (until they are removed). */
function countingTasks(failing: Set<unknown>) {
  const calls: unknown[] = [];
  const before: unknown[] = [];
  const work: TaskHandler = async ({ parameters }) => {
    const item = (parameters as { item: unknown }).item;
    calls.push(item);
    if (failing.has(item)) throw new TaskFailedError('Work.Failed', `item ${String(item)} failed`);
    return { done: item };
  };
  const prepare: TaskHandler = async () => {
    before.push('prepare');
    return { prepared: true };
  };
  return { calls, before, registry: taskRegistryFrom({ [WORK]: work, [BEFORE]: prepare }) };
}

const start = (definition: object, input: unknown, registry: TaskRegistry) => startRun(definition, input, registry, { executionName: 'redrive-test' });
const redrive = redriveRun;

const workTask = { Type: 'Task', Resource: WORK, Parameters: { 'item.$': '$' }, End: true };

const inlineMap = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: BEFORE, ResultPath: null, Next: 'EachItem' },
    EachItem: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 1,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: workTask } },
      End: true,
    },
  },
};

const parallel = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: BEFORE, ResultPath: null, Next: 'AllBranches' },
    AllBranches: {
      Type: 'Parallel',
      Branches: ['a', 'b', 'c'].map((item) => ({
        StartAt: `Work${item}`,
        States: { [`Work${item}`]: { Type: 'Task', Resource: WORK, Parameters: { item }, End: true } },
      })),
      End: true,
    },
  },
};

const distributedMap = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: BEFORE, ResultPath: null, Next: 'EachChild' },
    EachChild: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'ChildWork',
        States: { ChildWork: workTask },
      },
      End: true,
    },
  },
};

describe('redrive of an inline Map', () => {
  it('re-runs only the failed and not-started iterations', async () => {
    const failing = new Set<unknown>([2]);
    const tasks = countingTasks(failing);
    const failed = await start(inlineMap, { items: [1, 2, 3, 4] }, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    await redrive(inlineMap, failed, tasks.registry);

    // MaxConcurrency 1: item 2 failed, 3 and 4 never started; 1 succeeded and is kept.
    expect(tasks.calls).toEqual([2, 3, 4]);
  });

  it('puts the kept iterations’ results back in their original positions', async () => {
    const failing = new Set<unknown>([3]);
    const tasks = countingTasks(failing);
    const failed = await start(inlineMap, { items: [1, 2, 3, 4] }, tasks.registry);
    failing.clear();

    const redriven = await redrive(inlineMap, failed, tasks.registry);

    expect([redriven.status, redriven.output]).toEqual(['SUCCEEDED', [{ done: 1 }, { done: 2 }, { done: 3 }, { done: 4 }]]);
  });

  it('does not re-run the states before the Map', async () => {
    const failing = new Set<unknown>([1]);
    const tasks = countingTasks(failing);
    const failed = await start(inlineMap, { items: [1] }, tasks.registry);
    failing.clear();
    tasks.before.length = 0;

    const redriven = await redrive(inlineMap, failed, tasks.registry);

    expect([tasks.before, redriven.path]).toEqual([[], ['EachItem', 'Work']]);
  });
});

describe('redrive of a Parallel state', () => {
  it('re-runs only the failed branch', async () => {
    const failing = new Set<unknown>(['b']);
    const tasks = countingTasks(failing);
    const failed = await start(parallel, {}, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    await redrive(parallel, failed, tasks.registry);

    expect(tasks.calls).toEqual(['b']);
  });

  it('keeps the successful branches’ outputs in branch order', async () => {
    const failing = new Set<unknown>(['a']);
    const tasks = countingTasks(failing);
    const failed = await start(parallel, {}, tasks.registry);
    failing.clear();

    const redriven = await redrive(parallel, failed, tasks.registry);

    expect(redriven.output).toEqual([{ done: 'a' }, { done: 'b' }, { done: 'c' }]);
  });
});

describe('redrive of a Distributed Map', () => {
  it('re-runs only the failed child executions', async () => {
    const failing = new Set<unknown>([20]);
    const tasks = countingTasks(failing);
    const failed = await start(distributedMap, { items: [10, 20, 30] }, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    const redriven = await redrive(distributedMap, failed, tasks.registry);

    expect([tasks.calls, redriven.output]).toEqual([[20], [{ done: 10 }, { done: 20 }, { done: 30 }]]);
  });

  it('continues the earlier Map Run with a MapRunRedriven event', async () => {
    const failing = new Set<unknown>([10]);
    const tasks = countingTasks(failing);
    const failed = await start(distributedMap, { items: [10] }, tasks.registry);
    failing.clear();
    const mapRunArn = failed.mapRuns[0]?.mapRunArn;

    const redriven = await redrive(distributedMap, failed, tasks.registry);

    const event = redriven.history.find((e) => e.id > failed.history.length && e.type === 'MapRunRedriven');
    expect([event?.mapRunRedrivenEventDetails, redriven.mapRuns[0]?.mapRunArn]).toEqual([{ mapRunArn, redriveCount: 1 }, mapRunArn]);
  });

  it('re-runs every child when the earlier Map Run records are not given', async () => {
    const failing = new Set<unknown>([20]);
    const tasks = countingTasks(failing);
    const failed = await start(distributedMap, { items: [10, 20] }, tasks.registry);
    failing.clear();
    tasks.calls.length = 0;

    await redriveExecution({ definition: distributedMap, history: failed.history, executionName: failed.name, tasks: tasks.registry, clock: new VirtualClock() });

    expect(tasks.calls).toEqual([10, 20]);
  });
});

describe('redrive count and history', () => {
  const counted = {
    StartAt: 'Work',
    States: { Work: { Type: 'Task', Resource: WORK, Parameters: { 'item.$': '$$.Execution.RedriveCount' }, End: true } },
  };

  it('gives the task $$.Execution.RedriveCount of the current redrive', async () => {
    const failing = new Set<unknown>([0]);
    const tasks = countingTasks(failing);
    const failed = await start(counted, {}, tasks.registry);

    const redriven = await redrive(counted, failed, tasks.registry);

    expect(redriven.output).toEqual({ done: 1 });
  });

  it('redrives an execution that failed again after a redrive, counting 2', async () => {
    const failing = new Set<unknown>([0, 1]);
    const tasks = countingTasks(failing);
    const failed = await start(counted, {}, tasks.registry);
    const failedAgain = await redrive(counted, failed, tasks.registry);

    const redriven = await redrive(counted, failedAgain, tasks.registry);

    const redrivenEvents = redriven.history.filter((e) => e.type === 'ExecutionRedriven').map((e) => e.executionRedrivenEventDetails);
    expect([failedAgain.status, redriven.status, redriven.output, redrivenEvents]).toEqual([
      'FAILED',
      'SUCCEEDED',
      { done: 2 },
      [{ redriveCount: 1 }, { redriveCount: 2 }],
    ]);
  });

  it('numbers the new events after the earlier ones, chained from the last', async () => {
    const failing = new Set<unknown>([0]);
    const tasks = countingTasks(failing);
    const failed = await start(counted, {}, tasks.registry);

    const redriven = await redrive(counted, failed, tasks.registry);

    const newEvents = redriven.history.slice(failed.history.length);
    expect(newEvents.map((e) => [e.id, e.type])).toEqual([
      [failed.history.length + 1, 'ExecutionRedriven'],
      [failed.history.length + 2, 'TaskStateEntered'],
      [failed.history.length + 3, 'TaskScheduled'],
      [failed.history.length + 4, 'TaskStarted'],
      [failed.history.length + 5, 'TaskSucceeded'],
      [failed.history.length + 6, 'TaskStateExited'],
      [failed.history.length + 7, 'ExecutionSucceeded'],
    ]);
  });
});
