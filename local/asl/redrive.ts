import { loadDefinition, runExecution, type ExecutionOptions, type ExecutionResult, type StartPoint } from './execution.js';
import type { HistoryEvent } from './history/history-event.js';
import { HistoryThreads, resumeAfterExit, threadProgress, TOP_LEVEL_THREAD } from './history-threads.js';
import { redriveReuseFor } from './redrive-reuse.js';
import type { MapRunRecord } from './run-context.js';
import type { StateMachineBody } from './state-runner.js';

export interface RedriveOptions extends Omit<ExecutionOptions, 'input' | 'startAt' | 'redrive' | 'executionName'> {
  /** The full history of the failed, aborted or timed-out execution (all earlier redrives included). */
  history: HistoryEvent[];
  /** The execution's name (a redrive keeps it). */
  executionName: string;
  /**
   * The Distributed Map runs of the earlier attempts (their child executions live there, not in the
   * history): a redriven Distributed Map keeps the children that succeeded. @default none kept
   */
  previousMapRuns?: readonly MapRunRecord[];
}

const closedUnsuccessfully = new Set(['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/** Where a redrive resumes, and the attempts of a Map/Parallel state there that began its iterations/branches. */
export interface RedrivePoint extends StartPoint {
  /** The MapStateStarted/ParallelStateStarted events of the resumed state's unsuccessful visit, in order. */
  started: HistoryEvent[];
}

/**
 * Where a redrive resumes: the last top-level state that was entered and never exited, with its
 * recorded input and the variables the top-level states before it assigned (or, when the run
 * stopped between two states, the state after the last one that exited). Only top-level events
 * count (see HistoryThreads): branches and iterations have their own.
 */
export function redrivePoint(history: HistoryEvent[], definition: StateMachineBody, threads = new HistoryThreads(history)): RedrivePoint {
  const last = history[history.length - 1];
  if (!last || !closedUnsuccessfully.has(last.type)) {
    throw new Error(
      `Only failed, aborted or timed-out executions can be redriven; this history ends with ${last ? last.type : 'no events'}`,
    );
  }
  const { pending, variables, lastExited } = threadProgress(threads.eventsOf(TOP_LEVEL_THREAD), definition);
  if (pending) return { stateName: pending.name, input: pending.input, variables, started: pending.started };
  if (lastExited) return { ...resumeAfterExit(lastExited, variables, definition), started: [] };
  throw new Error('The history has no top-level state that was entered and did not finish: nothing to redrive');
}

/**
 * RedriveExecution semantics: same execution name and input, resume at the unsuccessful state,
 * earlier events kept and an ExecutionRedriven event appended, new events numbered after them.
 * At an inline Map, Parallel or Distributed Map state only the iterations, branches or child
 * executions that did not succeed run again; the others' results are reused in their original
 * positions, over all earlier attempts. An unsuccessful Parallel branch resumes at its own
 * unsuccessful state (its input and the branch's variables restored), recursively; a Distributed
 * Map redrives its Map Run, inside a branch too. Inline Map iterations that did not succeed run
 * again from their start. `$$.Execution.RedriveCount` counts the redrives.
 */
export async function redriveExecution(options: RedriveOptions): Promise<ExecutionResult> {
  const { history, previousMapRuns, ...rest } = options;
  const definition = loadDefinition(options.definition);
  const threads = new HistoryThreads(history);
  const { started: attempts, ...startAt } = redrivePoint(history, definition, threads);
  const started = history.find((event) => event.type === 'ExecutionStarted');
  const input = started?.executionStartedEventDetails?.input;
  const redriveCount = history.filter((event) => event.type === 'ExecutionRedriven').length + 1;
  const reuse = redriveReuseFor(definition, threads, startAt.stateName, attempts, previousMapRuns);
  return runExecution({
    ...rest,
    startAt,
    redrive: {
      previousHistory: history,
      redriveCount,
      // The first start stays $$.Execution.StartTime; a caller that knows it exactly says so.
      startDate: options.contextOverrides?.startTime ?? started?.timestamp ?? new Date(),
      executionInput: input === undefined ? {} : (JSON.parse(input) as unknown),
      ...(reuse ? { reuse } : {}),
    },
  });
}
