import { runExecution, type ExecutionOptions, type ExecutionResult, type StartPoint } from './execution.js';
import type { HistoryEvent } from './history/history-event.js';

export interface RedriveOptions extends Omit<ExecutionOptions, 'input' | 'startAt' | 'redrive' | 'executionName'> {
  /** The full history of the failed, aborted or timed-out execution (all earlier redrives included). */
  history: HistoryEvent[];
  /** The execution's name (a redrive keeps it). */
  executionName: string;
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

/**
 * Where a redrive resumes: the last top-level state that was entered and never exited, with its
 * recorded input and the variables the states before it assigned.
 */
export function redrivePoint(history: HistoryEvent[]): StartPoint {
  const last = history[history.length - 1];
  if (!last || !closedUnsuccessfully.has(last.type)) {
    throw new Error(
      `Only failed, aborted or timed-out executions can be redriven; this history ends with ${last ? last.type : 'no events'}`,
    );
  }
  const variables: Record<string, unknown> = {};
  let pending: { name: string; input: unknown } | undefined;
  for (const event of topLevelChain(history)) {
    if (event.stateEnteredEventDetails) {
      const { name = '', input } = event.stateEnteredEventDetails;
      pending = { name, input: input === undefined ? {} : (JSON.parse(input) as unknown) };
    } else if (event.stateExitedEventDetails) {
      pending = undefined;
      for (const [name, value] of Object.entries(event.stateExitedEventDetails.assignedVariables ?? {})) {
        variables[name] = JSON.parse(value) as unknown;
      }
    }
  }
  if (!pending) throw new Error('The history has no top-level state that was entered and did not finish: nothing to redrive');
  return { stateName: pending.name, input: pending.input, variables };
}

/**
 * RedriveExecution semantics: same execution name and input, resume at the unsuccessful state,
 * earlier events kept and an ExecutionRedriven event appended. Map and Parallel states re-run
 * as a whole (AWS re-runs only their failed iterations/branches: not yet done here).
 */
export async function redriveExecution(options: RedriveOptions): Promise<ExecutionResult> {
  const { history, ...rest } = options;
  const startAt = redrivePoint(history);
  const started = history.find((event) => event.type === 'ExecutionStarted');
  const input = started?.executionStartedEventDetails?.input;
  const redriveCount = history.filter((event) => event.type === 'ExecutionRedriven').length + 1;
  return runExecution({
    ...rest,
    startAt,
    redrive: {
      previousHistory: history,
      redriveCount,
      startDate: started?.timestamp ?? new Date(),
      executionInput: input === undefined ? {} : (JSON.parse(input) as unknown),
    },
  });
}
