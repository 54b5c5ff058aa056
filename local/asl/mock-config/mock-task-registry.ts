import { TaskFailedError, type TaskHandler, type TaskRegistry } from '../task-dispatch.js';
import { StatesErrorName } from '../errors/error-names.js';
import { describeRange } from './invocation-range.js';
import type { MockConfig, MockedResponse } from './mock-config.js';
import { MockConfigError } from './mock-config-error.js';

export interface MockRegistryOptions {
  /** Which state machine of the file. @default - the only one, when the file holds exactly one */
  stateMachineName?: string;
  testCase: string;
  /** Handles Task states the test case does not mock. @default - no handler (the Task fails) */
  fallback?: TaskRegistry;
}

/**
 * A TaskRegistry that answers the Task states of one test case from mocked responses, counting
 * invocations per state (retries and Map iterations included) as Step Functions Local does.
 */
export function mockTaskRegistry(config: MockConfig, options: MockRegistryOptions): TaskRegistry {
  const machineName = selectStateMachine(config, options.stateMachineName);
  const testCases = config.stateMachines[machineName]!;
  const mockedStates = testCases[options.testCase];
  if (mockedStates === undefined) {
    throw new MockConfigError(
      `Test case ${JSON.stringify(options.testCase)} is not in the mock config for state machine ${JSON.stringify(machineName)}; known test cases: ${Object.keys(testCases).join(', ') || 'none'}`,
    );
  }
  const handlers = new Map<string, TaskHandler>();
  for (const [stateName, responseName] of Object.entries(mockedStates)) {
    handlers.set(stateName, mockedHandler(stateName, config.mockedResponses[responseName]!, options.testCase));
  }
  return {
    handlerFor: (target) => handlers.get(target.stateName) ?? options.fallback?.handlerFor(target),
  };
}

function selectStateMachine(config: MockConfig, requested: string | undefined): string {
  const names = Object.keys(config.stateMachines);
  if (requested !== undefined) {
    if (!Object.hasOwn(config.stateMachines, requested)) {
      throw new MockConfigError(
        `State machine ${JSON.stringify(requested)} is not in the mock config; known state machines: ${names.join(', ') || 'none'}`,
      );
    }
    return requested;
  }
  if (names.length === 1) return names[0]!;
  throw new MockConfigError(
    names.length === 0
      ? 'The mock config defines no state machines under StateMachines'
      : `The mock config defines ${names.length} state machines (${names.join(', ')}): name the one to use`,
  );
}

function mockedHandler(stateName: string, response: MockedResponse, testCase: string): TaskHandler {
  // Claimed synchronously on entry, so concurrent Map iterations never share an invocation number.
  let invocations = 0;
  return async () => {
    const invocation = invocations;
    invocations += 1;
    const entry = response.entries.find(({ range }) => range.first <= invocation && invocation <= range.last);
    if (entry === undefined) {
      const defined = response.entries.map(({ range }) => describeRange(range)).join(', ') || 'none';
      throw new TaskFailedError(
        StatesErrorName.Runtime,
        `Mocked response ${JSON.stringify(response.name)} for state ${JSON.stringify(stateName)} (test case ${JSON.stringify(testCase)}) has no entry for invocation ${invocation}; it defines invocations ${defined}`,
      );
    }
    const { outcome } = entry;
    if (outcome.kind === 'throw') throw new TaskFailedError(outcome.error, outcome.cause);
    // A copy per invocation: the engine may reshape results, and Map iterations share the entry.
    return structuredClone(outcome.value);
  };
}
