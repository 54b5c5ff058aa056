/**
 * Folds an execution history (GetExecutionHistory events) into one record per state entry:
 * when it was entered and left, its input/output, and how it ended. Used for the live progress
 * display, the run summary (stateDurationsMs) and the inspector.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { parseHistoryJson } from './history-json.js';

export type StateOutcome = 'running' | 'succeeded' | 'failed' | 'caught';

export interface StateRecord {
  name: string;
  type: string;
  enteredEventId: number;
  enteredAt: Date;
  exitedAt?: Date;
  input?: unknown;
  output?: unknown;
  outcome: StateOutcome;
  /** Task attempts seen (1 + retries). */
  attempts: number;
  /** The raw result of the state's last successful task call (TaskSucceeded/LambdaFunctionSucceeded output). */
  taskResult?: unknown;
  error?: string;
  cause?: string;
}

const FAILURE_TYPES = new Set([
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
  'MapStateFailed',
  'ParallelStateFailed',
  'MapRunFailed',
  'ExecutionFailed',
]);


function failureOf(event: HistoryEvent): { error?: string; cause?: string } | undefined {
  const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1] as
    | { error?: string; cause?: string }
    | undefined;
  if (!FAILURE_TYPES.has(String(event.type))) return undefined;
  return { error: details?.error, cause: details?.cause };
}

function toDate(value: Date | string | undefined): Date {
  return value instanceof Date ? value : new Date(value ?? 0);
}

export function buildStateTimeline(events: readonly HistoryEvent[]): StateRecord[] {
  const records: StateRecord[] = [];
  const byEnteredId = new Map<number, StateRecord>();
  const parentOf = new Map<number, number>();
  const open = new Map<string, StateRecord[]>();

  // The state an event belongs to: walk previousEventId back to the nearest StateEntered.
  const owner = (event: HistoryEvent): StateRecord | undefined => {
    let id: number | undefined = event.previousEventId;
    for (let guard = 0; id !== undefined && guard < 100_000; guard += 1) {
      const record = byEnteredId.get(id);
      if (record) return record;
      id = parentOf.get(id);
    }
    return undefined;
  };

  for (const event of events) {
    const id = event.id ?? 0;
    if (event.previousEventId !== undefined) parentOf.set(id, event.previousEventId);
    const type = String(event.type);
    if (type.endsWith('StateEntered')) {
      const details = event.stateEnteredEventDetails;
      const record: StateRecord = {
        name: details?.name ?? '?',
        type: type.slice(0, -'StateEntered'.length),
        enteredEventId: id,
        enteredAt: toDate(event.timestamp),
        input: parseHistoryJson(details?.input),
        outcome: 'running',
        attempts: 0,
      };
      records.push(record);
      byEnteredId.set(id, record);
      open.set(record.name, [...(open.get(record.name) ?? []), record]);
      continue;
    }
    if (type.endsWith('StateExited')) {
      const details = event.stateExitedEventDetails;
      const stack = open.get(details?.name ?? '');
      const record = stack?.shift();
      if (record) {
        record.exitedAt = toDate(event.timestamp);
        record.output = parseHistoryJson(details?.output);
        // A state that failed and was caught still exits (towards its Catch target).
        record.outcome = record.error !== undefined ? 'caught' : 'succeeded';
      }
      continue;
    }
    if (type === 'TaskScheduled' || type === 'LambdaFunctionScheduled') {
      const record = owner(event);
      if (record) record.attempts += 1;
      continue;
    }
    const failure = failureOf(event);
    if (failure && type !== 'ExecutionFailed') {
      const record = owner(event);
      if (record) {
        // MapStateFailed/ParallelStateFailed carry no details: keep the run's or branch's error.
        record.error = failure.error ?? record.error ?? 'States.Runtime';
        record.cause = failure.cause ?? record.cause;
        record.outcome = 'failed';
        record.exitedAt = toDate(event.timestamp);
      }
    }
    if (type === 'TaskSucceeded' || type === 'LambdaFunctionSucceeded') {
      // A retry that healed: forget the earlier attempt's error.
      const record = owner(event);
      if (record) {
        const details = event.taskSucceededEventDetails ?? event.lambdaFunctionSucceededEventDetails;
        record.taskResult = parseHistoryJson(details?.output);
      }
      if (record && record.outcome === 'failed') {
        record.outcome = 'running';
        record.exitedAt = undefined;
        record.error = undefined;
        record.cause = undefined;
      }
    }
  }
  // A failed attempt followed by a retry shows as failed until the retry ends; Fail states end
  // the execution without exiting.
  for (const record of records) {
    if (record.type === 'Fail') {
      record.outcome = 'failed';
      record.exitedAt ??= record.enteredAt;
    }
  }
  return records;
}

/** Milliseconds spent per state name (summed over repeated entries, e.g. polling loops). */
export function stateDurations(records: readonly StateRecord[], now = new Date()): Record<string, number> {
  const durations: Record<string, number> = {};
  for (const record of records) {
    const end = record.exitedAt ?? now;
    durations[record.name] = (durations[record.name] ?? 0) + Math.max(0, end.getTime() - record.enteredAt.getTime());
  }
  return durations;
}
