/**
 * The Task attempts of a recorded execution, per state and Map iteration, in the order they
 * happened: what each was called with and what it returned or threw. Retries are separate
 * attempts; a state visited again in a loop adds attempts after the earlier ones.
 */
import type { HistoryEvent } from '../asl/index.js';
import { EventLineage } from '../execution-history/event-lineage.js';
import { parseHistoryJson } from '../execution-history/history-json.js';

export type RecordedOutcome =
  | { kind: 'return'; value: unknown }
  | { kind: 'throw'; error: string; cause?: string }
  /** The attempt never ended in the history (the run was aborted or killed during it). */
  | { kind: 'unfinished' };

export interface RecordedAttempt {
  stateName: string;
  /** Innermost Map iteration index, for states inside a Map. */
  mapIndex?: number;
  /** Every enclosing Map iteration's index (Distributed Map child index included), outermost first. */
  mapIndexPath?: number[];
  /** The effective parameters (TaskScheduled.parameters / LambdaFunctionScheduled.input). */
  parameters: unknown;
  /** The `.sync` start response (TaskSubmitted), if any. */
  submitted?: unknown;
  outcome: RecordedOutcome;
  /** id of the Scheduled event. */
  eventId: number;
}

/** `State`, or `State[i]` / `State[i,j]` inside (nested) Map iterations. */
export function attemptKey(stateName: string, mapIndex: number | readonly number[] | undefined): string {
  if (mapIndex === undefined) return stateName;
  const path = typeof mapIndex === 'number' ? [mapIndex] : mapIndex;
  return path.length === 0 ? stateName : `${stateName}[${path.join(',')}]`;
}

/** Nesting depth per state: a Set means depth 1 for its members (the older form). */
export type MapDepths = ReadonlyMap<string, number> | ReadonlySet<string>;

export function depthOf(depths: MapDepths, stateName: string): number {
  return depths instanceof Map ? (depths.get(stateName) ?? 0) : (depths as ReadonlySet<string>).has(stateName) ? 1 : 0;
}


const FAILURE_DETAILS: Partial<Record<string, keyof HistoryEvent>> = {
  TaskFailed: 'taskFailedEventDetails',
  TaskTimedOut: 'taskTimedOutEventDetails',
  TaskStartFailed: 'taskStartFailedEventDetails',
  TaskSubmitFailed: 'taskSubmitFailedEventDetails',
  LambdaFunctionFailed: 'lambdaFunctionFailedEventDetails',
  LambdaFunctionTimedOut: 'lambdaFunctionTimedOutEventDetails',
  LambdaFunctionStartFailed: 'lambdaFunctionStartFailedEventDetails',
  LambdaFunctionScheduleFailed: 'lambdaFunctionScheduleFailedEventDetails',
};

/** Task attempts grouped by attemptKey, each list in history order. */
export function recordedAttempts(
  events: readonly HistoryEvent[],
  statesInsideMaps: MapDepths,
  /** For a Distributed Map child's history: its index, and the Map levels above the child's own states. */
  child?: { index: number; depth: number },
): Map<string, RecordedAttempt[]> {
  const lineage = new EventLineage(events);
  const nextInThread = new Map<number, HistoryEvent>();
  for (const event of events) {
    if (event.type.startsWith('Task') || event.type.startsWith('LambdaFunction')) {
      if (!event.type.endsWith('StateEntered') && !event.type.endsWith('StateExited')) nextInThread.set(event.previousEventId, event);
    }
  }
  const attempts = new Map<string, RecordedAttempt[]>();
  for (const event of events) {
    let parameters: unknown;
    if (event.type === 'TaskScheduled') parameters = parseHistoryJson(event.taskScheduledEventDetails?.parameters);
    else if (event.type === 'LambdaFunctionScheduled') parameters = parseHistoryJson(event.lambdaFunctionScheduledEventDetails?.input);
    else continue;
    const entry = lineage.enclosingStateEntry(event);
    const stateName = entry?.stateEnteredEventDetails?.name;
    if (!entry || stateName === undefined) continue;
    const depth = depthOf(statesInsideMaps, stateName) - (child?.depth ?? 0);
    const path = [...(child ? [child.index] : []), ...(depth > 0 ? lineage.mapIndexPath(entry, depth) : [])];
    const mapIndex = path.at(-1);
    let outcome: RecordedOutcome = { kind: 'unfinished' };
    let submitted: unknown;
    for (let next = nextInThread.get(event.id); next; next = nextInThread.get(next.id)) {
      if (next.type === 'TaskSubmitted') submitted = parseHistoryJson(next.taskSubmittedEventDetails?.output);
      if (next.type === 'TaskSucceeded') outcome = { kind: 'return', value: parseHistoryJson(next.taskSucceededEventDetails?.output) };
      else if (next.type === 'LambdaFunctionSucceeded') outcome = { kind: 'return', value: parseHistoryJson(next.lambdaFunctionSucceededEventDetails?.output) };
      const failureField = FAILURE_DETAILS[next.type];
      if (failureField) {
        const details = next[failureField] as { error?: string; cause?: string } | undefined;
        const timedOut = next.type.endsWith('TimedOut');
        outcome = {
          kind: 'throw',
          error: details?.error ?? (timedOut ? 'States.Timeout' : 'States.TaskFailed'),
          ...(details?.cause !== undefined ? { cause: details.cause } : {}),
        };
      }
      if (outcome.kind !== 'unfinished') break;
    }
    const key = attemptKey(stateName, path);
    const list = attempts.get(key) ?? [];
    list.push({ stateName, ...(mapIndex !== undefined ? { mapIndex, mapIndexPath: path } : {}), parameters, ...(submitted !== undefined ? { submitted } : {}), outcome, eventId: event.id });
    attempts.set(key, list);
  }
  return attempts;
}
