/**
 * A Distributed Map's child executions keep their own histories (in the Map Run records, not in
 * the parent history, on AWS and locally). Replay takes from them what the parent history lacks:
 * the children's Task attempts, keyed by the child's index like inline Map iterations, and the
 * items the ItemReader produced, rebuilt from the children's inputs.
 */
import type { MapRunRecord, StateMachineDefinition } from '../asl/index.js';
import { allStates } from './definition-walk.js';
import { recordedAttempts, type MapDepths, type RecordedAttempt } from './recorded-tasks.js';

/** The last Map Run of each Distributed Map state (a redriven run replaces the earlier record). */
function lastRunPerState(mapRuns: readonly MapRunRecord[]): MapRunRecord[] {
  const byState = new Map<string, MapRunRecord>();
  for (const run of mapRuns) byState.set(run.stateName, run);
  return [...byState.values()];
}

/** Task attempts of every child execution, as `State[childIndex]` keys, added to `attempts`. */
export function addMapRunAttempts(attempts: Map<string, RecordedAttempt[]>, mapRuns: readonly MapRunRecord[], depths: MapDepths = new Map()): void {
  for (const run of lastRunPerState(mapRuns)) {
    const mapDepth = depths instanceof Map ? (depths.get(run.stateName) ?? 0) + 1 : 1;
    for (const child of [...run.executions].sort((a, b) => a.index - b.index)) {
      // Inside the child's own history its states are top level: the child index is the outer key.
      for (const [key, list] of recordedAttempts(child.history, depths, { index: child.index, depth: mapDepth }).entries()) {
        const keyed = attempts.get(key) ?? [];
        keyed.push(...list);
        attempts.set(key, keyed);
      }
    }
  }
}

/**
 * The items each Distributed Map's ItemReader returned, rebuilt from the children's inputs (in
 * child order): an ItemBatcher's batches are `{Items, BatchInput}`, so their Items are joined.
 * Only for Map states without an ItemSelector, whose children receive the items unchanged.
 */
export function readerItemsFromMapRuns(definition: StateMachineDefinition, mapRuns: readonly MapRunRecord[]): Map<string, unknown[]> {
  const items = new Map<string, unknown[]>();
  // Nested states too: a Distributed Map can run inside a Parallel branch or a Map iteration.
  const statesByName = allStates(definition as never);
  for (const run of lastRunPerState(mapRuns)) {
    const state = statesByName.get(run.stateName) as StateMachineDefinition['States'][string] | undefined;
    if (!state?.ItemReader || state.ItemSelector !== undefined) continue;
    const children = [...run.executions].sort((a, b) => a.index - b.index);
    const batched = state.ItemBatcher !== undefined;
    items.set(run.stateName, children.flatMap((child) => (batched ? ((child.input as { Items?: unknown[] }).Items ?? []) : [child.input])));
  }
  return items;
}
