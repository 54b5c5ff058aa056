/**
 * How an execution history ends: the events that close an execution (each attempt, when it was
 * redriven) and the outcome they carry. Read by the runner (to cut a history at its close),
 * replay (to compare outcomes) and the inspector (the header).
 */
import type { HistoryEvent } from '../asl/index.js';

/** The event types that close an execution (or one attempt of a redriven one). */
export const CLOSING_EVENT_TYPES: ReadonlySet<string> = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

export function isClosingEvent(event: { type?: unknown }): boolean {
  return CLOSING_EVENT_TYPES.has(String(event.type));
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
