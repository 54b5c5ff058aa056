import type { ContextOverrides } from './context-overrides.js';
import type { Clock } from './clock.js';
import type { ExecutionContext, MapItemContext, StateMachineContext } from './context-object.js';
import type { QueryLanguage } from './definition.js';
import type { HistoryEvent } from './history/history-event.js';
import type { EventCursor, HistoryRecorder } from './history/history-recorder.js';
import type { RedriveReuse } from './redrive-reuse.js';
import type { TaskRegistry } from './task-dispatch.js';
import type { VariableScope } from './variables.js';

/** What every state of one execution shares. */
export interface RunContext {
  tasks: TaskRegistry;
  clock: Clock;
  random: () => number;
  history: HistoryRecorder;
  /** State names entered, in order, nested states included. */
  path: string[];
  execution: ExecutionContext;
  stateMachine: StateMachineContext;
  stateMachineArn: string;
  region: string;
  account: string;
  /** The definition's top-level QueryLanguage: the default for every state, nested ones too. */
  queryLanguage: QueryLanguage;
  /** Aborted when the execution is stopped or times out. */
  signal: AbortSignal;
  newId(): string;
  /** Distributed Map runs: their child executions keep their own histories here. */
  mapRuns: MapRunRecord[];
  /** Context-object facts fixed by the caller (replay). */
  contextOverrides?: ContextOverrides;
}

/** One Distributed Map run and the child executions it started. */
export interface MapRunRecord {
  mapRunArn: string;
  stateName: string;
  /** DescribeMapRun's status: ABORTED when the Map was stopped from outside (its execution or Parallel branch). */
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  executions: ChildExecutionRecord[];
}

export interface ChildExecutionRecord {
  name: string;
  index: number;
  /** `$$.Execution.StartTime` of the child (DescribeExecution startDate). */
  startDate?: Date | string;
  status: 'SUCCEEDED' | 'FAILED';
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
}

/**
 * One line of control: the top-level run, a Parallel branch or a Map iteration. Each has its own
 * event chain, its own variable scope (reading its parents') and its own abort signal.
 */
export interface Thread {
  run: RunContext;
  cursor: EventCursor;
  variables: VariableScope;
  signal: AbortSignal;
  /** `$$.Map.Item` while an inline Map's ItemSelector is evaluated. */
  mapItem?: MapItemContext;
  /**
   * Redrive: what the state this thread resumes at keeps from earlier attempts (the top level's
   * resumed state, or a resumed branch's). Child threads do not inherit it.
   */
  redriveReuse?: RedriveReuse;
  /** Replay hook: indices of the Map iterations / Distributed Map children this thread runs in, outermost first. */
  mapIndexPath?: readonly number[];
}
