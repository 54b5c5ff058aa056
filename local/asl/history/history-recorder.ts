import type { Clock } from '../clock.js';
import type { HistoryEvent, HistoryEventDetails, HistoryEventType } from './history-event.js';
import { HistoryLimitError, MAX_HISTORY_EVENTS } from '../limits.js';

/** Events that close an execution: the only ones that may take the last place of a full history. */
const CLOSING_EVENTS = new Set<HistoryEventType>(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/**
 * The chain a sequence of events belongs to. Every branch of a Parallel and every Map iteration
 * has its own, so `previousEventId` points at the event before it in the same branch (as AWS
 * does), not at whatever another branch appended meanwhile.
 */
export interface EventCursor {
  lastEventId: number;
}

/** Appends events with 1-based ids, in the order things happen, and reports each one live. */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly onEvent?: (event: HistoryEvent) => void,
    /** Events of an earlier run of the same execution (redrive): ids continue after them. */
    previous: HistoryEvent[] = [],
  ) {
    this.events.push(...previous);
  }

  append(cursor: EventCursor, type: HistoryEventType, details: HistoryEventDetails = {}): HistoryEvent {
    if (this.events.length >= MAX_HISTORY_EVENTS - 1 && !CLOSING_EVENTS.has(type)) throw new HistoryLimitError();
    const event: HistoryEvent = {
      timestamp: this.clock.now(),
      type,
      id: this.events.length + 1,
      previousEventId: cursor.lastEventId,
      ...details,
    };
    this.events.push(event);
    cursor.lastEventId = event.id;
    this.onEvent?.(event);
    return event;
  }

  get lastEventId(): number {
    return this.events.length;
  }
}

/** JSON text as AWS puts it into `input`/`output`/`parameters` fields. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export const notTruncated = { truncated: false } as const;
