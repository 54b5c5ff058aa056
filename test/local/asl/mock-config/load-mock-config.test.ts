import { describe, expect, it } from 'vitest';
import { loadMockConfig, MockConfigError } from '../../../../local/asl/mock-config/index.js';

function problemsOf(json: unknown): string[] {
  try {
    loadMockConfig(json);
  } catch (error) {
    if (error instanceof MockConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the mock config to be rejected');
}

const validFile = {
  StateMachines: {
    Pipeline: { TestCases: { TrainRetries: { TrainModel: 'TrainFailsThenSucceeds' } } },
  },
  MockedResponses: {
    TrainFailsThenSucceeds: {
      '0-1': { Throw: { Error: 'SageMaker.ThrottlingException', Cause: 'Rate exceeded' } },
      '2': { Return: { TrainingJobStatus: 'Completed' } },
    },
  },
};

describe('loadMockConfig', () => {
  it('reads test cases and orders response entries by invocation', () => {
    const config = loadMockConfig(validFile);

    expect(config).toEqual({
      stateMachines: { Pipeline: { TrainRetries: { TrainModel: 'TrainFailsThenSucceeds' } } },
      mockedResponses: {
        TrainFailsThenSucceeds: {
          name: 'TrainFailsThenSucceeds',
          entries: [
            {
              range: { first: 0, last: 1 },
              outcome: { kind: 'throw', error: 'SageMaker.ThrottlingException', cause: 'Rate exceeded' },
            },
            { range: { first: 2, last: 2 }, outcome: { kind: 'return', value: { TrainingJobStatus: 'Completed' } } },
          ],
        },
      },
    });
  });

  it('rejects a key that is neither an index nor a range', () => {
    const json = { StateMachines: {}, MockedResponses: { TrainFails: { '0-x': { Return: {} } } } };

    expect(problemsOf(json)).toEqual(['MockedResponses.TrainFails["0-x"]: expected an index like "0" or a range like "1-2"']);
  });

  it('rejects a range that runs backwards', () => {
    const json = { StateMachines: {}, MockedResponses: { R: { '3-1': { Return: {} } } } };

    expect(problemsOf(json)).toEqual(['MockedResponses.R["3-1"]: the range starts after it ends (3 > 1); write it as "1-3"']);
  });

  it('rejects overlapping entries', () => {
    const json = { StateMachines: {}, MockedResponses: { R: { '0-2': { Return: 1 }, '2': { Return: 2 } } } };

    expect(problemsOf(json)).toEqual(['MockedResponses.R["2"]: overlaps "0-2": each invocation may have only one response']);
  });

  it('rejects an entry with both Return and Throw', () => {
    const json = { StateMachines: {}, MockedResponses: { R: { '0': { Return: 1, Throw: { Error: 'E' } } } } };

    expect(problemsOf(json)).toEqual(['MockedResponses.R["0"]: expected exactly one of Return or Throw']);
  });

  it('rejects an unknown field in an entry', () => {
    const json = { StateMachines: {}, MockedResponses: { R: { '0': { Retrun: 1 } } } };

    expect(problemsOf(json)).toEqual(['MockedResponses.R["0"]: unknown field "Retrun"; expected Return or Throw']);
  });

  it('rejects a Throw without an error name', () => {
    const json = { StateMachines: {}, MockedResponses: { R: { '0': { Throw: { Cause: 'boom' } } } } };

    expect(problemsOf(json)).toEqual(['MockedResponses.R["0"].Throw.Error: Invalid input: expected string, received undefined']);
  });

  it('rejects a test case that names an undefined response', () => {
    const json = { StateMachines: { SM: { TestCases: { Happy: { TrainModel: 'Nope' } } } }, MockedResponses: { R: { '0': { Return: 1 } } } };

    expect(problemsOf(json)).toEqual([
      'StateMachines.SM.TestCases.Happy.TrainModel: refers to mocked response "Nope", which MockedResponses does not define (defined: R)',
    ]);
  });

  it('rejects a missing top-level section', () => {
    expect(problemsOf({ StateMachines: {} })).toEqual(['MockedResponses: Invalid input: expected record, received undefined']);
  });

  it('rejects a state machine without TestCases', () => {
    expect(problemsOf({ StateMachines: { SM: {} }, MockedResponses: {} })).toEqual([
      'StateMachines.SM.TestCases: Invalid input: expected record, received undefined',
    ]);
  });

  it('reports every problem in one error message', () => {
    const json = { StateMachines: {}, MockedResponses: { A: { x: { Return: 1 } }, B: { y: { Return: 1 } } } };

    expect(() => loadMockConfig(json)).toThrow(
      'Invalid mock config:\n  MockedResponses.A["x"]: expected an index like "0" or a range like "1-2"\n  MockedResponses.B["y"]: expected an index like "0" or a range like "1-2"',
    );
  });
});
