/**
 * TestState, offline: runs one state of a definition the way AWS's TestState API does and answers
 * with the same fields (status, output, error, cause, nextState, and with DEBUG the inspection
 * data of each data-flow step).
 *
 * A separate entry point over the interpreter: the state runs through `executeState` (the same
 * executors as an execution), a Task's service call is replaced by the `mock` (a result or an
 * error), and Retry/Catch are decided once instead of waited on, as TestState does:
 * a retriable error → RETRIABLE, a caught one → CAUGHT_ERROR with the Catcher's Next.
 */
import { randomUUID } from 'node:crypto';
import { findCatcher } from './catch.js';
import { VirtualClock } from './clock.js';
import type { StateDefinition, StateMachineDefinition } from './definition.js';
import { applyInputPath, applyPayloadTemplate, applyResultPath } from './data-flow/state-io.js';
import { DefinitionError } from './errors/definition-error.js';
import { StatesError } from './errors/states-error.js';
import { loadDefinition, DEFAULT_STATE_MACHINE_ARN } from './execution.js';
import { HistoryRecorder } from './history/history-recorder.js';
import { RetryTracker } from './retry.js';
import type { RunContext, Thread } from './run-context.js';
import { StateFrame } from './state-frame.js';
import { executeState } from './state-runner.js';
import { TaskFailedError, type TaskRegistry } from './task-dispatch.js';
import { VariableScope } from './variables.js';

export type InspectionLevel = 'INFO' | 'DEBUG';
export type TestStateStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

/** TestState's `mock`: a JSON result string, or an error output. */
export interface TestStateMock {
  result?: string;
  errorOutput?: { error: string; cause?: string };
}

export interface TestStateRequest {
  /** A whole state machine definition (with `stateName`) or a single state's definition. */
  definition: string | object;
  stateName?: string;
  /** The state input as JSON text (AWS's `input`); default `{}`. */
  input?: string;
  mock?: TestStateMock;
  /** Workflow variables visible to the state, as JSON text of an object. */
  variables?: string;
  inspectionLevel?: InspectionLevel;
}

/** AWS's InspectionData, JSON values as JSON text like the API returns them. */
export interface TestStateInspectionData {
  input?: string;
  afterInputPath?: string;
  afterParameters?: string;
  afterArguments?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  variables?: string;
}

export interface TestStateResponse {
  status: TestStateStatus;
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: TestStateInspectionData;
}

/** The state asked for is not in the definition: the message names the states that are. */
export class UnknownStateError extends Error {
  constructor(
    readonly stateName: string,
    readonly states: string[],
  ) {
    super(`state ${JSON.stringify(stateName)} does not exist in the definition; its states are: ${states.join(', ')}`);
    this.name = 'UnknownStateError';
  }
}

/** A request TestState itself rejects (AWS: InvalidDefinition / ValidationException). */
export class TestStateValidationError extends Error {
  override name = 'TestStateValidationError';
}

function parseJsonField(text: string | undefined, field: string, fallback: unknown): unknown {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TestStateValidationError(`${field} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The whole machine (wrapping a lone state), and the name of the state to test. */
function machineAndState(request: TestStateRequest): { machine: StateMachineDefinition; name: string; state: StateDefinition } {
  const raw = typeof request.definition === 'string' ? parseJsonField(request.definition, 'definition', undefined) : request.definition;
  if (raw === null || typeof raw !== 'object') throw new TestStateValidationError('definition must be a JSON object');
  const record = raw as Record<string, unknown>;
  if (!('States' in record)) {
    // A single state: wrap it so it validates as a machine (its Next may point nowhere, as in AWS).
    const name = request.stateName ?? 'TestState';
    const single = { ...(record as unknown as StateDefinition) };
    const target = single.Next;
    const states: Record<string, StateDefinition> = { [name]: single };
    if (target !== undefined && target !== name) states[target] = { Type: 'Succeed' } as StateDefinition;
    for (const catcher of single.Catch ?? []) if (!(catcher.Next in states)) states[catcher.Next] = { Type: 'Succeed' } as StateDefinition;
    for (const rule of single.Choices ?? []) if (rule.Next && !(rule.Next in states)) states[rule.Next] = { Type: 'Succeed' } as StateDefinition;
    if (single.Default !== undefined && !(single.Default in states)) states[single.Default] = { Type: 'Succeed' } as StateDefinition;
    const machine = loadDefinition({ StartAt: name, States: states });
    return { machine, name, state: machine.States[name] as StateDefinition };
  }
  const machine = loadDefinition(record);
  const names = Object.keys(machine.States);
  const name = request.stateName ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) throw new TestStateValidationError(`stateName is required for a definition with several states: ${names.join(', ')}`);
  const state = machine.States[name];
  if (!state) throw new UnknownStateError(name, names);
  return { machine, name, state };
}

function mockRegistry(mock: TestStateMock | undefined, stateName: string): TaskRegistry {
  return {
    handlerFor: () => async () => {
      if (!mock || (mock.result === undefined && mock.errorOutput === undefined)) {
        throw new TestStateValidationError(
          `state ${JSON.stringify(stateName)} is a Task: give its service's answer with a mock (a result, or an errorOutput with error and cause)`,
        );
      }
      if (mock.errorOutput) throw new TaskFailedError(mock.errorOutput.error, mock.errorOutput.cause ?? '');
      return parseJsonField(mock.result, 'mock.result', null);
    },
  };
}

function threadFor(machine: StateMachineDefinition, tasks: TaskRegistry, variables: Record<string, unknown> | undefined): Thread {
  const clock = new VirtualClock();
  const control = new AbortController();
  const history = new HistoryRecorder(clock, undefined, []);
  const executionName = 'test-state';
  const run: RunContext = {
    tasks,
    clock,
    random: () => 0.5,
    history,
    path: [],
    execution: {
      Id: `arn:aws:states:us-east-1:000000000000:execution:local:${executionName}`,
      Input: {},
      Name: executionName,
      RoleArn: 'arn:aws:iam::000000000000:role/local-state-machine-role',
      StartTime: clock.now().toISOString(),
      RedriveCount: 0,
    },
    stateMachine: { Id: DEFAULT_STATE_MACHINE_ARN, Name: 'local' },
    stateMachineArn: DEFAULT_STATE_MACHINE_ARN,
    region: 'us-east-1',
    account: '000000000000',
    queryLanguage: machine.QueryLanguage ?? 'JSONPath',
    signal: control.signal,
    newId: () => randomUUID(),
    mapRuns: [],
  };
  return { run, cursor: { lastEventId: history.lastEventId }, variables: new VariableScope(undefined, variables), signal: control.signal };
}

const text = (value: unknown): string => JSON.stringify(value);

/**
 * DEBUG inspection data: each data-flow step recomputed with the interpreter's own data-flow
 * functions, stopping at the first step that fails (as the state itself would).
 */
async function inspect(frame: StateFrame, mockResult: unknown, hasResult: boolean): Promise<TestStateInspectionData> {
  const { state } = frame;
  const data: TestStateInspectionData = { input: text(frame.rawInput) };
  try {
    if (frame.isJsonata) {
      if (state.Type === 'Task') {
        data.afterArguments = text(state.Arguments === undefined ? frame.rawInput : await frame.jsonata(state.Arguments, 'Arguments'));
        if (hasResult) data.result = text(mockResult);
      }
      return data;
    }
    if (state.Type === 'Fail') return data;
    const afterInputPath = applyInputPath(frame.pathScope(frame.rawInput), state.InputPath);
    data.afterInputPath = text(afterInputPath);
    if (state.Type !== 'Task' && state.Type !== 'Pass' && state.Type !== 'Map' && state.Type !== 'Parallel') return data;
    const afterParameters = state.Parameters === undefined ? afterInputPath : applyPayloadTemplate(state.Parameters, frame.pathScope(afterInputPath), 'Parameters');
    data.afterParameters = text(afterParameters);
    let result: unknown;
    if (state.Type === 'Pass') result = 'Result' in state ? state.Result : afterParameters;
    else if (hasResult) result = mockResult;
    else return data;
    data.result = text(result);
    const selected = state.Type !== 'Pass' && state.ResultSelector !== undefined
      ? applyPayloadTemplate(state.ResultSelector, frame.pathScope(result), 'ResultSelector')
      : result;
    data.afterResultSelector = text(selected);
    data.afterResultPath = text(applyResultPath(frame.name, frame.rawInput, state.ResultPath, selected));
  } catch {
    // The step that failed is the state's error; the data so far is what AWS shows.
  }
  return data;
}

/** A Map or Parallel answered by its mock: the result goes through the state's output processing. */
async function runMockedContainer(frame: StateFrame, mock: TestStateMock, result: unknown): Promise<{ output: unknown; next: string | undefined }> {
  if (mock.errorOutput) throw new StatesError(mock.errorOutput.error, mock.errorOutput.cause ?? '');
  const finished = await frame.finishWithResult(result);
  if (finished.assigned) frame.thread.variables.assign(finished.assigned);
  return { output: finished.output, next: frame.state.End === true ? undefined : frame.state.Next };
}

/** Runs one state like AWS TestState. Throws UnknownStateError / TestStateValidationError / DefinitionError for bad requests. */
export async function testState(request: TestStateRequest): Promise<TestStateResponse> {
  const { machine, name, state } = machineAndState(request);
  const input = parseJsonField(request.input, 'input', {});
  const variables = parseJsonField(request.variables, 'variables', undefined);
  if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) {
    throw new TestStateValidationError('variables must be a JSON object');
  }
  if (request.mock?.result !== undefined && request.mock.errorOutput !== undefined) {
    throw new TestStateValidationError('mock takes a result or an errorOutput, not both');
  }
  if (state.Type === 'Task' && !request.mock) {
    throw new TestStateValidationError(
      `state ${JSON.stringify(name)} is a Task: offline TestState needs a mock (a result, or an errorOutput with error and cause)`,
    );
  }
  const thread = threadFor(machine, mockRegistry(request.mock, name), variables as Record<string, unknown> | undefined);
  // Retry and Catch are decided here, once: the state runs without them.
  const { Retry: retriers, Catch: catchers, ...bare } = state;
  // A mocked Map or Parallel is not run: the mock is its whole result (or error), as in AWS.
  const mockedContainer = (state.Type === 'Map' || state.Type === 'Parallel') && request.mock !== undefined;
  const hasResult = (state.Type === 'Task' || mockedContainer) && request.mock?.result !== undefined;
  const mockResult = hasResult ? parseJsonField(request.mock?.result, 'mock.result', null) : undefined;
  const debug = request.inspectionLevel === 'DEBUG';
  const frame = new StateFrame(thread, name, state, input, thread.run.clock.now());
  // Inspection runs on its own thread, so it sees the variables as they were before the state.
  let inspectionData: TestStateInspectionData | undefined;
  if (debug) {
    const scratch = threadFor(machine, mockRegistry(request.mock, name), variables as Record<string, unknown> | undefined);
    inspectionData = await inspect(new StateFrame(scratch, name, state, input, scratch.run.clock.now()), mockResult, hasResult);
  }

  let response: TestStateResponse;
  try {
    const outcome = mockedContainer
      ? await runMockedContainer(frame, request.mock!, mockResult)
      : await executeState(name, bare as StateDefinition, input, thread);
    response = { status: 'SUCCEEDED', output: text(outcome.output), ...(outcome.next !== undefined ? { nextState: outcome.next } : {}) };
  } catch (thrown) {
    if (thrown instanceof TestStateValidationError) throw thrown;
    if (!(thrown instanceof StatesError)) throw thrown;
    const failure = { error: thrown.error, cause: thrown.cause };
    if (new RetryTracker(retriers).nextDelaySeconds(thrown.error, () => 0.5) !== undefined) {
      response = { status: 'RETRIABLE', ...failure };
    } else {
      const catcher = findCatcher(catchers, thrown.error);
      if (catcher) {
        const caught = await frame.finishWithError(thrown, catcher);
        if (caught.assigned) thread.variables.assign(caught.assigned);
        response = { status: 'CAUGHT_ERROR', output: text(caught.output), ...failure, nextState: catcher.Next };
      } else {
        response = { status: 'FAILED', ...failure };
      }
    }
  }
  if (inspectionData) {
    inspectionData.variables = text(thread.variables.snapshot());
    response.inspectionData = inspectionData;
  }
  return response;
}

export { DefinitionError };
