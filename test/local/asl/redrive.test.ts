import { describe, expect, it } from 'vitest';
import { redriveExecution, TaskFailedError, taskRegistryFrom, VirtualClock } from '../../../local/asl/index.js';
import { run } from './run-helper.js';

const RESOURCE = 'arn:aws:states:::lambda:invoke';
const definition = {
  StartAt: 'First',
  States: {
    First: { Type: 'Pass', Result: { step: 1 }, Assign: { 'fromFirst.$': '$.step' }, Next: 'Flaky' },
    Flaky: { Type: 'Task', Resource: RESOURCE, Parameters: { 'seen.$': '$fromFirst' }, End: true },
  },
};

describe('redriveExecution', () => {
  it('resumes at the failed state with its input and variables, without re-running earlier states', async () => {
    const failed = await run(definition, {}, { [RESOURCE]: async () => { throw new TaskFailedError('Down'); } });
    const redriven = await redriveExecution({
      definition,
      history: failed.history,
      executionName: failed.name,
      tasks: taskRegistryFrom({ [RESOURCE]: async ({ parameters }) => parameters }),
      clock: new VirtualClock(),
    });
    expect([redriven.status, redriven.path, redriven.output]).toEqual(['SUCCEEDED', ['Flaky'], { seen: 1 }]);
  });

  it('appends ExecutionRedriven after the earlier events', async () => {
    const failed = await run(definition, {}, { [RESOURCE]: async () => { throw new TaskFailedError('Down'); } });
    const redriven = await redriveExecution({
      definition,
      history: failed.history,
      executionName: failed.name,
      tasks: taskRegistryFrom({ [RESOURCE]: async () => ({}) }),
      clock: new VirtualClock(),
    });
    const event = redriven.history[failed.history.length];
    expect([event?.type, event?.id, event?.executionRedrivenEventDetails]).toEqual(['ExecutionRedriven', failed.history.length + 1, { redriveCount: 1 }]);
  });
});
