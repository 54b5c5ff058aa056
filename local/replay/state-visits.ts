/** The states a history entered, per state and Map iteration, with the input of each visit. */
import type { HistoryEvent } from '../asl/index.js';
import { EventLineage } from '../execution-history/event-lineage.js';
import { attemptKey, depthOf, type MapDepths } from './recorded-tasks.js';

export interface StateVisit {
  key: string;
  state: string;
  mapIndex?: number;
  /** 0-based visit number of this key. */
  visit: number;
  input: unknown;
  eventId: number;
}

export function stateVisits(events: readonly HistoryEvent[], statesInsideMaps: MapDepths): StateVisit[] {
  const lineage = new EventLineage(events);
  const counts = new Map<string, number>();
  const visits: StateVisit[] = [];
  for (const event of events) {
    const details = event.stateEnteredEventDetails;
    if (!details?.name) continue;
    const depth = depthOf(statesInsideMaps, details.name);
    const path = depth > 0 ? lineage.mapIndexPath(event, depth) : [];
    const mapIndex = path.at(-1);
    const key = attemptKey(details.name, path);
    const visit = counts.get(key) ?? 0;
    counts.set(key, visit + 1);
    let input: unknown;
    try {
      input = details.input === undefined ? undefined : (JSON.parse(details.input) as unknown);
    } catch {
      input = details.input;
    }
    visits.push({ key, state: details.name, ...(mapIndex !== undefined ? { mapIndex } : {}), visit, input, eventId: event.id });
  }
  return visits;
}

export interface ExecutionOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'RUNNING';
  output?: unknown;
  error?: string;
  cause?: string;
}

/** How the history ends (RUNNING when it has no closing event, e.g. a killed local run). */
export function outcomeOf(events: readonly HistoryEvent[]): ExecutionOutcome {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    switch (event.type) {
      case 'ExecutionSucceeded': {
        const text = event.executionSucceededEventDetails?.output;
        return { status: 'SUCCEEDED', output: text === undefined ? undefined : (JSON.parse(text) as unknown) };
      }
      case 'ExecutionFailed': {
        const { error, cause } = event.executionFailedEventDetails ?? {};
        return { status: 'FAILED', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
      }
      case 'ExecutionTimedOut': {
        const { error, cause } = event.executionTimedOutEventDetails ?? {};
        return { status: 'TIMED_OUT', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
      }
      case 'ExecutionAborted': {
        const { error, cause } = event.executionAbortedEventDetails ?? {};
        return { status: 'ABORTED', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
      }
      case 'ExecutionRedriven':
      case 'ExecutionStarted':
        return { status: 'RUNNING' };
      default:
        break;
    }
  }
  return { status: 'RUNNING' };
}
