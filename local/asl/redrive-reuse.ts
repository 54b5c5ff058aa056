import type { StateMachineDefinition } from './definition.js';
import type { HistoryEvent } from './history/history-event.js';
import type { ChildExecutionRecord, MapRunRecord } from './run-context.js';

/**
 * What a redrive keeps from the earlier attempt of the Map or Parallel state it resumes at: the
 * outputs of the iterations, branches or child executions that succeeded, by index. AWS
 * RedriveExecution reschedules only the failed or not-started ones and puts the kept results back
 * in their original positions.
 */
export interface RedriveReuse {
  stateName: string;
  kind: 'inline-map' | 'parallel' | 'distributed-map';
  /** index → output of an iteration/branch/child that succeeded. */
  results: Map<number, unknown>;
  /** Distributed Map: the earlier Map Run, whose successful children are kept in its record. */
  mapRun?: { mapRunArn: string; succeededChildren: Map<number, ChildExecutionRecord> };
  /** Set once the state's first attempt of this redrive took the results (a Retry re-runs all). */
  consumed: boolean;
}

function parseOutput(text: string | undefined): unknown {
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/**
 * The first event of every thread that chains directly off `startedId` (Map iterations, Parallel
 * branches), and for each later event, which of those threads it belongs to. Walking
 * previousEventId back is unambiguous: every event has exactly one predecessor.
 */
function threadRoots(events: HistoryEvent[], startedId: number): Map<number, HistoryEvent> {
  const byId = new Map(events.map((event) => [event.id, event]));
  const rootOf = new Map<number, HistoryEvent>();
  const resolve = (event: HistoryEvent): HistoryEvent | undefined => {
    const trail: HistoryEvent[] = [];
    let current: HistoryEvent | undefined = event;
    let root: HistoryEvent | undefined;
    while (current && current.id > startedId) {
      const known = rootOf.get(current.id);
      if (known) {
        root = known;
        break;
      }
      trail.push(current);
      if (current.previousEventId === startedId) {
        root = current;
        break;
      }
      current = byId.get(current.previousEventId);
    }
    if (root) for (const visited of trail) rootOf.set(visited.id, root);
    return root;
  };
  for (const event of events) if (event.id > startedId) resolve(event);
  return rootOf;
}

function inlineMapResults(events: HistoryEvent[], stateName: string, started: HistoryEvent): Map<number, unknown> {
  const roots = threadRoots(events, started.id);
  const byId = new Map(events.map((event) => [event.id, event]));
  const results = new Map<number, unknown>();
  for (const event of events) {
    const details = event.mapIterationSucceededEventDetails;
    if (event.type !== 'MapIterationSucceeded' || details?.name !== stateName || details.index === undefined) continue;
    if (roots.get(event.id)?.type !== 'MapIterationStarted') continue;
    // The iteration's output is what its last state handed on: the exit just before this event.
    const last = byId.get(event.previousEventId);
    results.set(details.index, parseOutput(last?.stateExitedEventDetails?.output));
  }
  return results;
}

function parallelResults(events: HistoryEvent[], definition: StateMachineDefinition, stateName: string, started: HistoryEvent): Map<number, unknown> {
  const branches = definition.States[stateName]?.Branches ?? [];
  const roots = threadRoots(events, started.id);
  const results = new Map<number, unknown>();
  for (const event of events) {
    const exited = event.stateExitedEventDetails;
    if (!exited?.name) continue;
    const root = roots.get(event.id);
    const rootName = root?.stateEnteredEventDetails?.name;
    if (rootName === undefined) continue;
    const index = branches.findIndex((branch) => branch.StartAt === rootName);
    const branch = branches[index];
    const state = branch?.States[exited.name];
    // State names are unique in a state machine, so a state of this branch that ends it ends the branch.
    if (!state || !(state.End === true || state.Type === 'Succeed')) continue;
    results.set(index, parseOutput(exited.output));
  }
  return results;
}

/**
 * What to keep when a redrive resumes at `stateName` whose (last) attempt began at `started`
 * (its MapStateStarted or ParallelStateStarted event). undefined for other kinds of state or when
 * the state never got that far.
 */
export function redriveReuseFor(
  definition: StateMachineDefinition,
  history: HistoryEvent[],
  stateName: string,
  started: HistoryEvent | undefined,
  previousMapRuns: readonly MapRunRecord[] = [],
): RedriveReuse | undefined {
  const state = definition.States[stateName];
  if (!state || !started) return undefined;
  if (state.Type === 'Parallel') {
    return { stateName, kind: 'parallel', results: parallelResults(history, definition, stateName, started), consumed: false };
  }
  if (state.Type !== 'Map') return undefined;
  if (state.ItemProcessor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') {
    return { stateName, kind: 'inline-map', results: inlineMapResults(history, stateName, started), consumed: false };
  }
  const mapRunArn = history.find((event) => event.id > started.id && event.type === 'MapRunStarted')?.mapRunStartedEventDetails?.mapRunArn;
  const record = [...previousMapRuns].reverse().find((run) => run.stateName === stateName && (mapRunArn === undefined || run.mapRunArn === mapRunArn));
  const succeededChildren = new Map<number, ChildExecutionRecord>();
  for (const child of record?.executions ?? []) if (child.status === 'SUCCEEDED') succeededChildren.set(child.index, child);
  return {
    stateName,
    kind: 'distributed-map',
    results: new Map([...succeededChildren].map(([index, child]) => [index, child.output])),
    ...(record ? { mapRun: { mapRunArn: record.mapRunArn, succeededChildren } } : {}),
    consumed: false,
  };
}

/** Takes the kept results for the first attempt of `stateName` in this redrive, once. */
export function takeRedriveReuse(reuse: RedriveReuse | undefined, stateName: string): RedriveReuse | undefined {
  if (!reuse || reuse.consumed || reuse.stateName !== stateName) return undefined;
  reuse.consumed = true;
  return reuse;
}
