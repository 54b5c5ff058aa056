import type { HistoryEvent as SfnHistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';

/**
 * One execution history event, shaped exactly like `GetExecutionHistory` returns it
 * (the SDK type, with the fields AWS always sets made required).
 */
export type HistoryEvent = Omit<SfnHistoryEvent, 'timestamp' | 'type' | 'id' | 'previousEventId'> & {
  timestamp: Date;
  type: HistoryEventType;
  id: number;
  previousEventId: number;
};

/** The `<kind>EventDetails` part of an event. */
export type HistoryEventDetails = Omit<HistoryEvent, 'timestamp' | 'type' | 'id' | 'previousEventId'>;

export type { HistoryEventType };
