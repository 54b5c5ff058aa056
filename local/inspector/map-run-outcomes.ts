/**
 * Outcomes of the states inside Distributed Maps. Their child executions have histories of their
 * own, outside the parent's, so they come from the Map Run records (local `map-runs.json` or a
 * recording's `mapRuns`); without a record for a Map that ran, its states are "not recorded".
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { MapRunRecord } from '../asl/index.js';
import type { AslStateLike } from '../replay/definition-walk.js';
import type { Scope } from './graph-types.js';
import { severity, stateOutcomes, type StateOutcomeView } from './state-outcomes.js';

/** Enough visits per state to read a few children's attempts without a page of megabytes. */
const MAX_VISITS_PER_STATE = 50;

interface DistributedMap {
  name: string;
  /** Every state a child execution of this Map can enter (nested Distributed Maps excluded). */
  childStates: string[];
}

function innerScopes(state: AslStateLike): Scope[] {
  if (state.Type === 'Parallel') return state.Branches ?? [];
  if (state.Type === 'Map') return [state.ItemProcessor ?? state.Iterator ?? {}];
  return [];
}

function isDistributed(state: AslStateLike): boolean {
  const processor = (state.ItemProcessor ?? {}) as { ProcessorConfig?: { Mode?: string } };
  return state.Type === 'Map' && processor.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/** The Distributed Maps of a definition, at any depth, each with the states its children run. */
export function distributedMaps(scope: Scope): DistributedMap[] {
  const found: DistributedMap[] = [];
  const walk = (inner: Scope, into: string[] | undefined): void => {
    for (const [name, state] of Object.entries(inner.States ?? {})) {
      into?.push(name);
      if (isDistributed(state)) {
        const map: DistributedMap = { name, childStates: [] };
        found.push(map);
        for (const child of innerScopes(state)) walk(child, map.childStates);
      } else {
        for (const child of innerScopes(state)) walk(child, into);
      }
    }
  };
  walk(scope, undefined);
  return found;
}

/** Adds the Distributed Map child states' outcomes to the parent's (which it changes in place). */
export function addMapRunOutcomes(
  definition: Scope,
  parent: Map<string, StateOutcomeView>,
  mapRuns: readonly MapRunRecord[] | undefined,
): Map<string, StateOutcomeView> {
  for (const map of distributedMaps(definition)) {
    const runs = (mapRuns ?? []).filter((run) => run.stateName === map.name);
    if (runs.length === 0) {
      if (!parent.has(map.name)) continue; // the Map never ran: its states were not reached
      const note = `${map.name} is a Distributed Map: its child executions have their own histories, which this recording does not include (local runs keep them in map-runs.json; add "mapRuns" to a recorded file).`;
      for (const name of map.childStates) if (!parent.has(name)) parent.set(name, { outcome: 'not-recorded', visits: [], note });
      continue;
    }
    for (const run of runs) {
      for (const child of [...run.executions].sort((a, b) => a.index - b.index)) {
        for (const [name, view] of stateOutcomes(child.history as unknown as HistoryEvent[])) {
          const entry: StateOutcomeView = parent.get(name) ?? { outcome: 'not-reached', visits: [] };
          const label = `#${child.index} ${child.name}`;
          for (const visit of view.visits) {
            if (entry.visits.length < MAX_VISITS_PER_STATE) entry.visits.push({ ...visit, childExecution: label });
            else entry.omittedVisits = (entry.omittedVisits ?? 0) + 1;
          }
          if (severity[view.outcome] > severity[entry.outcome]) entry.outcome = view.outcome;
          parent.set(name, entry);
        }
      }
    }
  }
  return parent;
}
