import { randomUUID } from 'node:crypto';
import { sleepForTimeout, systemClock, type Clock } from './clock.js';
import type { ExecutionContext } from './context-object.js';
import type { ContextOverrides } from './context-overrides.js';
import type { StateMachineDefinition } from './definition.js';
import { DefinitionError } from './errors/definition-error.js';
import { StatesErrorName } from './errors/error-names.js';
import { ExecutionAbortedError } from './errors/execution-aborted.js';
import { StatesError } from './errors/states-error.js';
import type { HistoryEvent } from './history/history-event.js';
import { HistoryRecorder, jsonText, notTruncated, type EventCursor } from './history/history-recorder.js';
import type { RedriveReuse } from './redrive-reuse.js';
import type { MapRunRecord, RunContext, Thread } from './run-context.js';
import { runStates } from './state-runner.js';
import { ExecutionInputTooLargeError, exceedsPayloadLimit, HistoryLimitError } from './limits.js';
import { checkSupported } from './supported-features.js';
import type { TaskRegistry } from './task-dispatch.js';
import { validateDefinition } from './validate/index.js';
import { VariableScope } from './variables.js';

export const DEFAULT_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:local';

/**
 * Where to begin instead of StartAt: replay and redrive restart a run at a given state with the
 * input it was entered with and the variables visible at that point.
 */
export interface StartPoint {
  stateName: string;
  input: unknown;
  variables?: Record<string, unknown>;
}

export interface ExecutionOptions {
  /** ASL JSON, as text or parsed. */
  definition: string | object;
  /** @default {} */
  input?: unknown;
  /** @default a random UUID */
  executionName?: string;
  /** @default arn:aws:states:us-east-1:000000000000:stateMachine:local */
  stateMachineArn?: string;
  /** @default arn:aws:iam::<account>:role/local-state-machine-role */
  roleArn?: string;
  tasks: TaskRegistry;
  /** @default systemClock */
  clock?: Clock;
  /** Uniform in [0, 1); drives retry jitter. @default Math.random */
  random?: () => number;
  /** Called for every history event as it is appended (live progress). */
  onEvent?: (event: HistoryEvent) => void;
  /** Aborting stops the execution with ExecutionAborted. */
  signal?: AbortSignal;
  /** Start at this state (top level) instead of StartAt; see StartPoint. */
  startAt?: StartPoint;
  /**
   * Continue an earlier run of the same execution (redrive): its events are kept, new ids follow
   * them, and an ExecutionRedriven event replaces ExecutionStarted.
   */
  redrive?: {
    previousHistory: HistoryEvent[];
    redriveCount: number;
    startDate: Date;
    executionInput: unknown;
    /** Results of the resumed Map/Parallel state's successful iterations/branches, kept in place. */
    reuse?: RedriveReuse;
  };
  /** Context-object facts fixed by the caller (replay: from the recording). See ContextOverrides. */
  contextOverrides?: ContextOverrides;
}

export interface ExecutionResult {
  executionArn: string;
  name: string;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
  /** State names entered, in order (nested states included, in entry order). */
  path: string[];
  /** GetExecutionHistory-shaped events. */
  history: HistoryEvent[];
  startDate: Date;
  stopDate: Date;
  /** Distributed Map runs with their child executions' histories. */
  mapRuns: MapRunRecord[];
}

class ExecutionTimedOutError extends Error {
  constructor(readonly seconds: number) {
    super(`execution timed out after ${seconds} s`);
  }
}

// Validation costs far more than running a small machine; replays and tests run the same text often.
const validatedDefinitions = new Map<string, StateMachineDefinition>();
const VALIDATED_CACHE_LIMIT = 100;

/** Parses and checks a definition: DefinitionError naming state and field when it cannot run. */
export function loadDefinition(definition: string | object): StateMachineDefinition {
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
  const cached = validatedDefinitions.get(text);
  if (cached) return cached;
  let parsed: unknown = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition);
    } catch (error) {
      throw new DefinitionError(`The definition is not valid JSON: ${(error as Error).message}`);
    }
  }
  validateDefinition(parsed);
  checkSupported(parsed as StateMachineDefinition);
  // Cache a private copy so a caller mutating its object cannot change a validated definition.
  const frozen = JSON.parse(text) as StateMachineDefinition;
  if (validatedDefinitions.size >= VALIDATED_CACHE_LIMIT) validatedDefinitions.clear();
  validatedDefinitions.set(text, frozen);
  return frozen;
}

function arnParts(stateMachineArn: string): { region: string; account: string; name: string } {
  const match = /^arn:[\w-]+:states:([\w-]+):(\d{12}):stateMachine:([\w.-]+)$/.exec(stateMachineArn);
  if (!match) {
    throw new DefinitionError(
      `stateMachineArn must look like arn:aws:states:<region>:<12-digit account>:stateMachine:<name>, got ${JSON.stringify(stateMachineArn)}`,
    );
  }
  return { region: match[1] as string, account: match[2] as string, name: match[3] as string };
}

const executionNamePattern = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/** Runs a state machine definition to completion and returns its outcome and history. */
export async function runExecution(options: ExecutionOptions): Promise<ExecutionResult> {
  const definition = loadDefinition(options.definition);
  const stateMachineArn = options.stateMachineArn ?? DEFAULT_STATE_MACHINE_ARN;
  const { region, account, name: stateMachineName } = arnParts(stateMachineArn);
  const name = options.executionName ?? randomUUID();
  if (!executionNamePattern.test(name)) {
    throw new DefinitionError(
      `executionName must be 1-80 characters without whitespace, brackets, wildcards or special characters, got ${JSON.stringify(name)}`,
    );
  }
  if (options.startAt && !(options.startAt.stateName in definition.States)) {
    throw new DefinitionError(
      `startAt.stateName ${JSON.stringify(options.startAt.stateName)} is not a top-level state (states: ${Object.keys(definition.States).join(', ')})`,
    );
  }
  const clock = options.clock ?? systemClock;
  const executionArn = `arn:aws:states:${region}:${account}:execution:${stateMachineName}:${name}`;
  const roleArn = options.roleArn ?? `arn:aws:iam::${account}:role/local-state-machine-role`;
  const redrive = options.redrive;
  const startDate = redrive?.startDate ?? options.contextOverrides?.startTime ?? clock.now();
  const executionInput = redrive ? redrive.executionInput : options.input === undefined ? {} : options.input;
  const inputText = jsonText(executionInput);
  if (!redrive && exceedsPayloadLimit(inputText)) throw new ExecutionInputTooLargeError(Buffer.byteLength(inputText, 'utf8'));

  const control = new AbortController();
  const onOuterAbort = (): void => control.abort(new ExecutionAbortedError(String(options.signal?.reason ?? 'aborted by caller')));
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const history = new HistoryRecorder(clock, options.onEvent, redrive?.previousHistory ?? []);
  const execution: ExecutionContext = {
    Id: executionArn,
    Input: executionInput,
    Name: name,
    RoleArn: roleArn,
    StartTime: startDate.toISOString(),
    RedriveCount: redrive?.redriveCount ?? 0,
    ...(redrive ? { RedriveTime: (options.contextOverrides?.redriveTime ?? clock.now()).toISOString() } : {}),
  };
  const run: RunContext = {
    tasks: options.tasks,
    clock,
    random: options.random ?? Math.random,
    history,
    path: [],
    execution,
    stateMachine: { Id: stateMachineArn, Name: stateMachineName },
    stateMachineArn,
    region,
    account,
    queryLanguage: definition.QueryLanguage ?? 'JSONPath',
    signal: control.signal,
    newId: () => randomUUID(),
    mapRuns: [],
    ...(options.contextOverrides ? { contextOverrides: options.contextOverrides } : {}),
  };
  const cursor: EventCursor = { lastEventId: history.lastEventId };
  if (redrive) {
    history.append(cursor, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: redrive.redriveCount } });
  } else {
    history.append(cursor, 'ExecutionStarted', {
      executionStartedEventDetails: { input: inputText, inputDetails: notTruncated, roleArn },
    });
  }
  const thread: Thread = {
    run,
    cursor,
    variables: new VariableScope(undefined, options.startAt?.variables),
    signal: control.signal,
    ...(redrive?.reuse ? { redriveReuse: redrive.reuse } : {}),
  };

  const timeoutSeconds = definition.TimeoutSeconds;
  const timer = new AbortController();
  if (timeoutSeconds !== undefined) {
    sleepForTimeout(clock, timeoutSeconds * 1000, timer.signal).then(
      () => control.abort(new ExecutionTimedOutError(timeoutSeconds)),
      () => undefined,
    );
  }

  const finish = (fields: Pick<ExecutionResult, 'status'> & Partial<ExecutionResult>): ExecutionResult => ({
    executionArn,
    name,
    path: run.path,
    history: history.events,
    startDate,
    stopDate: clock.now(),
    mapRuns: run.mapRuns,
    ...fields,
  });
  try {
    const startName = options.startAt?.stateName ?? definition.StartAt;
    const startInput = options.startAt ? options.startAt.input : executionInput;
    const output = await raceAbort(runStates(definition, startInput, thread, startName), control.signal);
    history.append(cursor, 'ExecutionSucceeded', {
      executionSucceededEventDetails: { output: jsonText(output), outputDetails: notTruncated },
    });
    return finish({ status: 'SUCCEEDED', output });
  } catch (thrown) {
    const reason = control.signal.aborted ? control.signal.reason : thrown;
    // Stopped, timed out or over the history limit: the closing event is written now, while the
    // states still unwind; a Map Run still running ends ABORTED here, before the result returns.
    if (control.signal.aborted) for (const mapRun of run.mapRuns) if (mapRun.status === 'RUNNING') mapRun.status = 'ABORTED';
    if (reason instanceof ExecutionTimedOutError) {
      const cause = `The execution exceeded the state machine's TimeoutSeconds (${reason.seconds} s)`;
      history.append(cursor, 'ExecutionTimedOut', { executionTimedOutEventDetails: { error: StatesErrorName.Timeout, cause } });
      return finish({ status: 'TIMED_OUT', error: StatesErrorName.Timeout, cause });
    }
    if (reason instanceof HistoryLimitError) {
      control.abort(reason);
      const error = StatesErrorName.Runtime;
      history.append(cursor, 'ExecutionFailed', { executionFailedEventDetails: { error, cause: reason.message } });
      return finish({ status: 'FAILED', error, cause: reason.message });
    }
    if (reason instanceof ExecutionAbortedError) {
      history.append(cursor, 'ExecutionAborted', { executionAbortedEventDetails: { cause: reason.message } });
      return finish({ status: 'ABORTED', cause: reason.message });
    }
    const failure = reason instanceof StatesError
      ? reason
      : new StatesError(StatesErrorName.Runtime, `Internal error in the local engine: ${(reason as Error)?.stack ?? String(reason)}`);
    history.append(cursor, 'ExecutionFailed', {
      executionFailedEventDetails: { ...(failure.error ? { error: failure.error } : {}), ...(failure.cause ? { cause: failure.cause } : {}) },
    });
    return finish({
      status: 'FAILED',
      ...(failure.error ? { error: failure.error } : {}),
      ...(failure.cause ? { cause: failure.cause } : {}),
    });
  } finally {
    timer.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** Stops waiting as soon as the execution is aborted or times out, even inside a long Task. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
  ]);
}
