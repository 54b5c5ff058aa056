import { describe, expect, it } from 'vitest';
import { loadMockConfig, mockTaskRegistry, MockConfigError } from '../../../../local/asl/mock-config/index.js';
import { taskRegistryFrom, TaskFailedError, type TaskInvocation, type TaskRegistry } from '../../../../local/asl/task-dispatch.js';

const RESOURCE = 'arn:aws:states:::sagemaker:createTrainingJob.sync';

const config = loadMockConfig({
  StateMachines: {
    Pipeline: {
      TestCases: {
        TrainRetries: { TrainModel: 'ThrottledThenCompleted' },
        ShortMock: { TrainModel: 'OnlyFirst' },
      },
    },
  },
  MockedResponses: {
    ThrottledThenCompleted: {
      '0-1': { Throw: { Error: 'SageMaker.ThrottlingException', Cause: 'Rate exceeded' } },
      '2': { Return: { TrainingJobStatus: 'Completed' } },
    },
    OnlyFirst: { '0': { Return: { n: 0 } } },
  },
});

function invoke(registry: TaskRegistry, stateName: string, resource = RESOURCE): Promise<unknown> {
  const handler = registry.handlerFor({ stateName, resource });
  if (handler === undefined) throw new Error(`no handler for ${stateName}`);
  return handler({ stateName, resource } as TaskInvocation);
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { returned: await promise };
  } catch (error) {
    if (error instanceof TaskFailedError) return { error: error.error, cause: error.cause };
    throw error;
  }
}

describe('mockTaskRegistry', () => {
  it('throws then returns by invocation index, counting retries', async () => {
    const registry = mockTaskRegistry(config, { testCase: 'TrainRetries' });

    const results = [];
    for (let attempt = 0; attempt < 3; attempt += 1) results.push(await outcome(invoke(registry, 'TrainModel')));

    expect(results).toEqual([
      { error: 'SageMaker.ThrottlingException', cause: 'Rate exceeded' },
      { error: 'SageMaker.ThrottlingException', cause: 'Rate exceeded' },
      { returned: { TrainingJobStatus: 'Completed' } },
    ]);
  });

  it('fails clearly when an invocation has no response', async () => {
    const registry = mockTaskRegistry(config, { stateMachineName: 'Pipeline', testCase: 'ShortMock' });
    await invoke(registry, 'TrainModel');

    const second = await outcome(invoke(registry, 'TrainModel'));

    expect(second).toEqual({
      error: 'States.Runtime',
      cause: 'Mocked response "OnlyFirst" for state "TrainModel" (test case "ShortMock") has no entry for invocation 1; it defines invocations 0',
    });
  });

  it('gives concurrent invocations distinct indices', async () => {
    const registry = mockTaskRegistry(
      loadMockConfig({
        StateMachines: { SM: { TestCases: { Fan: { Step: 'Counted' } } } },
        MockedResponses: { Counted: { '0': { Return: 0 }, '1': { Return: 1 }, '2': { Return: 2 } } },
      }),
      { testCase: 'Fan' },
    );

    const results = await Promise.all([invoke(registry, 'Step'), invoke(registry, 'Step'), invoke(registry, 'Step')]);

    expect([...results].sort()).toEqual([0, 1, 2]);
  });

  it('returns a fresh copy on every invocation', async () => {
    const registry = mockTaskRegistry(
      loadMockConfig({
        StateMachines: { SM: { TestCases: { T: { Step: 'Same' } } } },
        MockedResponses: { Same: { '0-1': { Return: { list: [1] } } } },
      }),
      { testCase: 'T' },
    );
    const first = (await invoke(registry, 'Step')) as { list: number[] };
    first.list.push(2);

    expect(await invoke(registry, 'Step')).toEqual({ list: [1] });
  });

  it('sends unmocked states to the fallback registry', async () => {
    const fallback = taskRegistryFrom({ 'arn:aws:states:::sns:publish': async () => ({ MessageId: 'm-1' }) });
    const registry = mockTaskRegistry(config, { testCase: 'TrainRetries', fallback });

    expect(await invoke(registry, 'NotifyFailure', 'arn:aws:states:::sns:publish')).toEqual({ MessageId: 'm-1' });
  });

  it('has no handler for unmocked states without a fallback', () => {
    const registry = mockTaskRegistry(config, { testCase: 'TrainRetries' });

    expect(registry.handlerFor({ stateName: 'NotifyFailure', resource: 'arn:aws:states:::sns:publish' })).toBeUndefined();
  });

  it('lists the known test cases for an unknown one', () => {
    expect(() => mockTaskRegistry(config, { testCase: 'Nope' })).toThrow(
      new MockConfigError('Test case "Nope" is not in the mock config for state machine "Pipeline"; known test cases: TrainRetries, ShortMock'),
    );
  });

  it('lists the known state machines for an unknown one', () => {
    expect(() => mockTaskRegistry(config, { stateMachineName: 'Other', testCase: 'TrainRetries' })).toThrow(
      'State machine "Other" is not in the mock config; known state machines: Pipeline',
    );
  });

  it('asks for a state machine name when the file holds several', () => {
    const two = loadMockConfig({ StateMachines: { A: { TestCases: {} }, B: { TestCases: {} } }, MockedResponses: {} });

    expect(() => mockTaskRegistry(two, { testCase: 'T' })).toThrow('The mock config defines 2 state machines (A, B): name the one to use');
  });
});
