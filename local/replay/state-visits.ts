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
