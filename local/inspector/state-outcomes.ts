/** Per-state outcome and visits of an execution, from its history, for colouring and the panel. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { buildStateTimeline } from '../execution-history/state-timeline.js';

/** `not-recorded`: inside a Distributed Map whose child executions this history does not hold. */
export type Outcome = 'succeeded' | 'failed' | 'caught' | 'retried' | 'running' | 'not-reached' | 'not-recorded';

export interface StateVisitView {
  enteredAt: string;
  exitedAt?: string;
  durationMs?: number;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  attempts: number;
  outcome: Outcome;
  /** Set for a visit made in a Distributed Map child execution: which one. */
  childExecution?: string;
}

export interface StateOutcomeView {
  outcome: Outcome;
  visits: StateVisitView[];
  /** Visits left out of `visits` to keep the page small (many Map children). */
  omittedVisits?: number;
  /** Why there are no visits to show, when the reason is not simply "never entered". */
  note?: string;
}

export const severity: Record<Outcome, number> = { 'not-reached': 0, 'not-recorded': 0, succeeded: 1, retried: 2, running: 3, caught: 4, failed: 5 };

export function stateOutcomes(events: readonly HistoryEvent[]): Map<string, StateOutcomeView> {
  const byState = new Map<string, StateOutcomeView>();
  for (const record of buildStateTimeline(events)) {
    const outcome: Outcome = record.outcome === 'succeeded' && record.attempts > 1 ? 'retried' : record.outcome;
    const visit: StateVisitView = {
      enteredAt: record.enteredAt.toISOString(),
      ...(record.exitedAt ? { exitedAt: record.exitedAt.toISOString(), durationMs: record.exitedAt.getTime() - record.enteredAt.getTime() } : {}),
      ...(record.input !== undefined ? { input: record.input } : {}),
      ...(record.output !== undefined ? { output: record.output } : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      ...(record.cause !== undefined ? { cause: record.cause } : {}),
      attempts: record.attempts,
      outcome,
    };
    const entry: StateOutcomeView = byState.get(record.name) ?? { outcome: 'not-reached', visits: [] };
    entry.visits.push(visit);
    if (severity[outcome] > severity[entry.outcome]) entry.outcome = outcome;
    byState.set(record.name, entry);
  }
  return byState;
}
