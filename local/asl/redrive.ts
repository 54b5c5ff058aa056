import { loadDefinition, runExecution, type ExecutionOptions, type ExecutionResult, type StartPoint } from './execution.js';
import type { HistoryEvent } from './history/history-event.js';
import { redriveReuseFor } from './redrive-reuse.js';
import type { MapRunRecord } from './run-context.js';

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

/**
 * The top-level chain of an execution: walking previousEventId back from the last event passes
 * only top-level events, because branches and iterations chain off their own start events.
 */
function topLevelChain(history: HistoryEvent[]): HistoryEvent[] {
  const byId = new Map(history.map((event) => [event.id, event]));
  const chain: HistoryEvent[] = [];
  let current = history[history.length - 1];
  while (current) {
    chain.push(current);
    current = current.previousEventId > 0 ? byId.get(current.previousEventId) : undefined;
  }
  return chain.reverse();
}

/** Where a redrive resumes, and the event that began the last attempt of a Map/Parallel state there. */
export interface RedrivePoint extends StartPoint {
  /** The MapStateStarted/ParallelStateStarted of the resumed state's last attempt, if it got that far. */
  startedEvent?: HistoryEvent;
}

const ATTEMPT_STARTED = new Set(['MapStateStarted', 'ParallelStateStarted']);

/**
 * Where a redrive resumes: the last top-level state that was entered and never exited, with its
 * recorded input and the variables the states before it assigned. `topLevelStates` filters out
 * nested states' events, which the chain passes when a killed run was closed from inside a branch.
 */
export function redrivePoint(history: HistoryEvent[], topLevelStates?: ReadonlySet<string>): RedrivePoint {
  const last = history[history.length - 1];
  if (!last || !closedUnsuccessfully.has(last.type)) {
    throw new Error(
      `Only failed, aborted or timed-out executions can be redriven; this history ends with ${last ? last.type : 'no events'}`,
    );
  }
  const isTopLevel = (name: string | undefined): boolean => topLevelStates === undefined || (name !== undefined && topLevelStates.has(name));
  const variables: Record<string, unknown> = {};
  let pending: { name: string; input: unknown; startedEvent?: HistoryEvent } | undefined;
  for (const event of topLevelChain(history)) {
    if (event.stateEnteredEventDetails && isTopLevel(event.stateEnteredEventDetails.name)) {
      const { name = '', input } = event.stateEnteredEventDetails;
      pending = { name, input: input === undefined ? {} : (JSON.parse(input) as unknown) };
    } else if (event.stateExitedEventDetails && isTopLevel(event.stateExitedEventDetails.name)) {
      pending = undefined;
      for (const [name, value] of Object.entries(event.stateExitedEventDetails.assignedVariables ?? {})) {
        variables[name] = JSON.parse(value) as unknown;
      }
    } else if (pending && ATTEMPT_STARTED.has(event.type)) {
      pending.startedEvent = event;
    }
  }
  if (!pending) throw new Error('The history has no top-level state that was entered and did not finish: nothing to redrive');
  return { stateName: pending.name, input: pending.input, variables, ...(pending.startedEvent ? { startedEvent: pending.startedEvent } : {}) };
}

/**
 * RedriveExecution semantics: same execution name and input, resume at the unsuccessful state,
 * earlier events kept and an ExecutionRedriven event appended, new events numbered after them.
 * At an inline Map, Parallel or Distributed Map state only the iterations, branches or child
 * executions that did not succeed run again (from their start); the others' results are reused
 * in their original positions. `$$.Execution.RedriveCount` counts the redrives.
 */
export async function redriveExecution(options: RedriveOptions): Promise<ExecutionResult> {
  const { history, previousMapRuns, ...rest } = options;
  const definition = loadDefinition(options.definition);
  const { startedEvent, ...startAt } = redrivePoint(history, new Set(Object.keys(definition.States)));
  const started = history.find((event) => event.type === 'ExecutionStarted');
  const input = started?.executionStartedEventDetails?.input;
  const redriveCount = history.filter((event) => event.type === 'ExecutionRedriven').length + 1;
  const reuse = redriveReuseFor(definition, history, startAt.stateName, startedEvent, previousMapRuns);
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
