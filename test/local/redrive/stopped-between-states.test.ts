/**
 * A run stopped between two states (its process killed after one state's StateExited, before the
 * next StateEntered) is redriven where the definition goes from the last exit: the Next state, the
 * Catcher's Next after a caught error, or the Choice again (its matched rule is not recorded).
 * Before, such a history had "nothing to redrive".
 */
import { describe, expect, it } from 'vitest';
import { redriveExecution, runExecution, TaskFailedError, taskRegistryFrom, VirtualClock, type ExecutionResult, type HistoryEvent } from '../../../local/asl/index.js';

const PREPARE = 'arn:aws:states:::sns:publish';
const WORK = 'arn:aws:states:::lambda:invoke';

function tasks(prepareFails = false) {
  const calls: string[] = [];
  const registry = taskRegistryFrom({
    [PREPARE]: async () => {
      calls.push('prepare');
      if (prepareFails) throw new TaskFailedError('Prepare.Failed', 'no');
      return { prepared: true };
    },
    [WORK]: async ({ parameters }) => {
      calls.push(`work ${String((parameters as { step: string }).step)}`);
      return { done: (parameters as { step: string }).step };
    },
  });
  return { calls, registry };
}

const work = (step: string, more: object = { End: true }) => ({ Type: 'Task', Resource: WORK, Parameters: { step }, ...more });

/** The run's history cut right after `stateName`'s StateExited, closed as a killed run's would be (ExecutionAborted). */
function stoppedAfterExit(run: ExecutionResult, stateName: string): HistoryEvent[] {
  const cut = run.history.findIndex((event) => event.stateExitedEventDetails?.name === stateName);
  expect(cut).toBeGreaterThan(0);
  const kept = run.history.slice(0, cut + 1);
  const last = kept[kept.length - 1]!;
  return [...kept, { id: last.id + 1, previousEventId: last.id, type: 'ExecutionAborted', timestamp: last.timestamp } as HistoryEvent];
}

async function runThenRedriveAfter(definition: object, stateName: string, prepareFails = false) {
  const first = tasks(prepareFails);
  const run = await runExecution({ definition, input: { go: 'a' }, tasks: first.registry, executionName: 'stopped', clock: new VirtualClock() });
  const again = tasks(prepareFails);
  const redriven = await redriveExecution({ definition, history: stoppedAfterExit(run, stateName), executionName: 'stopped', tasks: again.registry, clock: new VirtualClock() });
  return { calls: again.calls, redriven };
}

/** The states the redrive entered (after its ExecutionRedriven event). */
function enteredByRedrive(result: ExecutionResult): string[] {
  const redriven = result.history.find((event) => event.type === 'ExecutionRedriven')!.id;
  return result.history.filter((event) => event.id > redriven && event.stateEnteredEventDetails).map((event) => String(event.stateEnteredEventDetails!.name));
}

describe('a run stopped between two top-level states', () => {
  it('continues at the Next state with the exited state\'s output, without running it again', async () => {
    const definition = { StartAt: 'Prepare', States: { Prepare: { Type: 'Task', Resource: PREPARE, ResultPath: '$.prep', Next: 'Work' }, Work: work('one', { ResultPath: '$.work', End: true }) } };

    const { calls, redriven } = await runThenRedriveAfter(definition, 'Prepare');

    expect(calls).toEqual(['work one']);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(enteredByRedrive(redriven)).toEqual(['Work']);
    expect(redriven.output).toEqual({ go: 'a', prep: { prepared: true }, work: { done: 'one' } });
  });

  it('runs a Choice again from its recorded input, and goes down the rule that matches', async () => {
    const definition = {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Task', Resource: PREPARE, ResultPath: '$.prep', Next: 'Decide' },
        Decide: { Type: 'Choice', Choices: [{ Variable: '$.go', StringEquals: 'a', Next: 'WorkA' }], Default: 'WorkB' },
        WorkA: work('a'),
        WorkB: work('b'),
      },
    };

    const { calls, redriven } = await runThenRedriveAfter(definition, 'Decide');

    expect(calls).toEqual(['work a']);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(enteredByRedrive(redriven)).toEqual(['Decide', 'WorkA']);
  });

  it('after a caught error continues at the Catcher\'s Next, not the state\'s', async () => {
    const definition = {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Task', Resource: PREPARE, Catch: [{ ErrorEquals: ['Prepare.Failed'], ResultPath: '$.error', Next: 'Recover' }], Next: 'Work' },
        Work: work('normal'),
        Recover: work('recover'),
      },
    };

    const { calls, redriven } = await runThenRedriveAfter(definition, 'Prepare', true);

    expect(calls).toEqual(['work recover']);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(enteredByRedrive(redriven)).toEqual(['Recover']);
  });

  it('after a failure that a Retry overcame does not take the Catcher; with a Catch and no failure shown, it refuses rather than guess', async () => {
    let attempts = 0;
    const registry = taskRegistryFrom({
      [PREPARE]: async () => {
        attempts += 1;
        if (attempts === 1) throw new TaskFailedError('Prepare.Flaky', 'once');
        return { prepared: true };
      },
      [WORK]: async ({ parameters }) => ({ done: (parameters as { step: string }).step }),
    });
    const definition = {
      StartAt: 'Prepare',
      States: {
        Prepare: {
          Type: 'Task',
          Resource: PREPARE,
          Retry: [{ ErrorEquals: ['Prepare.Flaky'], IntervalSeconds: 1, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
          Next: 'Work',
        },
        Work: work('normal'),
        Recover: work('recover'),
      },
    };
    const run = await runExecution({ definition, input: {}, tasks: registry, executionName: 'stopped', clock: new VirtualClock() });

    // The retried attempt succeeded; an error after it (ResultSelector, Output …) would have been
    // caught without a failure event, so the history cannot tell Work from Recover.
    await expect(redriveExecution({ definition, history: stoppedAfterExit(run, 'Prepare'), executionName: 'stopped', tasks: registry, clock: new VirtualClock() })).rejects.toThrow(
      'State Prepare has a Catch, and its exit does not show whether a Catcher took it: nothing to redrive',
    );
  });

  it('after a caught Parallel failure (no error name in the history) continues where its Catchers lead', async () => {
    const { registry } = tasks(true);
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Prep', States: { Prep: { Type: 'Task', Resource: PREPARE, End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recover' }],
          Next: 'Work',
        },
        Work: work('normal'),
        Recover: work('recover'),
      },
    };
    const run = await runExecution({ definition, input: {}, tasks: registry, executionName: 'stopped', clock: new VirtualClock() });

    const redriven = await redriveExecution({ definition, history: stoppedAfterExit(run, 'Both'), executionName: 'stopped', tasks: registry, clock: new VirtualClock() });

    expect(enteredByRedrive(redriven)).toEqual(['Recover']);
  });

  it('has nothing to redrive when the state that exited ended the execution', async () => {
    const definition = { StartAt: 'Prepare', States: { Prepare: { Type: 'Task', Resource: PREPARE, End: true } } };

    await expect(runThenRedriveAfter(definition, 'Prepare')).rejects.toThrow('State Prepare ended the execution before it closed (killed after its StateExited): nothing to redrive');
  });

  it('inside a Parallel branch, a last state whose failure a Catcher took goes on to the Catcher\'s Next (it was kept as the branch\'s result)', async () => {
    const { calls, redriven } = await runThenRedriveAfter(
      {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Prep',
                States: {
                  Prep: { Type: 'Task', Resource: PREPARE, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }], End: true },
                  Recover: work('recover'),
                },
              },
            ],
            End: true,
          },
        },
      },
      'Prep',
      true,
    );

    expect(calls).toEqual(['work recover']);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(redriven.output).toEqual([{ done: 'recover' }]);
  });
});
