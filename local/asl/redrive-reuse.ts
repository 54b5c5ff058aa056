import type { StateDefinition } from './definition.js';
import type { StartPoint } from './execution.js';
import type { HistoryEvent } from './history/history-event.js';
import { HistoryThreads, parseJsonText, resumeAfterExit, threadProgress, visitOutcome } from './history-threads.js';
import type { ChildExecutionRecord, MapRunRecord } from './run-context.js';
import type { StateMachineBody } from './state-runner.js';

/**
 * What a redrive keeps from the earlier attempts of a Map or Parallel state it resumes at (at the
 * top level or, recursively, inside a resumed branch): AWS RedriveExecution reschedules only the
 * iterations, branches or child executions that did not succeed, puts the kept results back in
 * their original positions, and resumes an unsuccessful branch at its own unsuccessful state.
 */
export interface RedriveReuse {
  stateName: string;
  kind: 'inline-map' | 'parallel' | 'distributed-map';
  /** index → output of an iteration/branch/child that succeeded (in this or any earlier attempt). */
  results: Map<number, unknown>;
  /** Parallel: index → where an unsuccessful branch resumes (its state, input, variables, and what that state keeps). */
  resumes: Map<number, BranchResume>;
  /** Distributed Map: the earlier Map Run, whose successful children are kept in its record. */
  mapRun?: { mapRunArn: string; succeededChildren: Map<number, ChildExecutionRecord> };
  /** Set once the state's first attempt of this redrive took the results (a Retry re-runs all). */
  consumed: boolean;
}

/** A Parallel branch that stopped in a state: it continues there, earlier states not re-entered. */
export interface BranchResume {
  at: StartPoint;
  /** What the state it resumes at keeps, when that is a Map or Parallel. */
  reuse?: RedriveReuse;
}

interface ReuseScope {
  threads: HistoryThreads;
  previousMapRuns: readonly MapRunRecord[];
}

/** Terminal states end their body: a branch whose last exited state is one of them succeeded. */
function endsBody(state: StateDefinition | undefined): boolean {
  return state !== undefined && (state.End === true || state.Type === 'Succeed');
}

/** The events of branch `branch` across the given attempts of its Parallel, in order. */
function branchEvents(scope: ReuseScope, branch: StateMachineBody, attempts: readonly HistoryEvent[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const started of attempts) {
    for (const root of scope.threads.rootsUnder(started)) {
      const name = root.stateEnteredEventDetails?.name;
      if (name !== undefined && name in branch.States) events.push(...scope.threads.eventsOf(root.id));
    }
  }
  return events;
}

function parallelReuse(scope: ReuseScope, stateName: string, state: StateDefinition, attempts: HistoryEvent[]): RedriveReuse {
  const results = new Map<number, unknown>();
  const resumes = new Map<number, BranchResume>();
  for (const [index, branch] of (state.Branches ?? []).entries()) {
    const events = branchEvents(scope, branch, attempts);
    if (events.length === 0) continue; // never started: runs from its StartAt
    const { pending, lastExited, variables } = threadProgress(events, branch);
    if (pending) {
      const inner = reuseFor(scope, pending.name, branch.States[pending.name], scope.threads.continuedAttempts(pending.started));
      resumes.set(index, { at: { stateName: pending.name, input: pending.input, variables }, ...(inner ? { reuse: inner } : {}) });
    } else if (lastExited && endsBody(branch.States[lastExited.name]) && visitOutcome(lastExited.visit).kind !== 'failed') {
      // (A last state whose failure a Catcher took went on to the Catcher's Next: resumed below.)
      results.set(index, lastExited.output);
    } else if (lastExited) {
      // Stopped between two states (a kill right after an exit): continue where the definition
      // goes from the last exit (resumeAfterExit). When that cannot be told, the branch runs again.
      try {
        resumes.set(index, { at: resumeAfterExit(lastExited, variables, branch) });
      } catch {
        // e.g. a caught error no Catcher matches: the branch runs again from its start.
      }
    }
  }
  return { stateName, kind: 'parallel', results, resumes, consumed: false };
}

function inlineMapReuse(scope: ReuseScope, stateName: string, attempts: HistoryEvent[]): RedriveReuse {
  const results = new Map<number, unknown>();
  // A later attempt's iteration overrides an earlier one's; kept iterations write no events.
  for (const started of attempts) {
    for (const root of scope.threads.rootsUnder(started)) {
      const index = root.mapIterationStartedEventDetails?.index;
      if (index === undefined) continue;
      const events = scope.threads.eventsOf(root.id);
      const succeeded = events.findIndex((event) => event.type === 'MapIterationSucceeded');
      if (succeeded === -1) {
        results.delete(index);
        continue;
      }
      // The iteration's output is what its last state handed on: the exit just before the success.
      const last = events.slice(0, succeeded).findLast((event) => event.stateExitedEventDetails !== undefined);
      results.set(index, parseJsonText(last?.stateExitedEventDetails?.output, null));
    }
  }
  return { stateName, kind: 'inline-map', results, resumes: new Map(), consumed: false };
}

function distributedMapReuse(scope: ReuseScope, stateName: string, attempts: HistoryEvent[]): RedriveReuse {
  const started = attempts[attempts.length - 1]!;
  // The Map Run event (MapRunStarted, or MapRunRedriven for a later redrive) follows its MapStateStarted.
  const runEvent = scope.threads
    .eventsOf(scope.threads.threadOfEvent(started.id))
    .find((event) => event.previousEventId === started.id && (event.type === 'MapRunStarted' || event.type === 'MapRunRedriven'));
  const mapRunArn = runEvent?.mapRunStartedEventDetails?.mapRunArn ?? runEvent?.mapRunRedrivenEventDetails?.mapRunArn;
  const record = [...scope.previousMapRuns].reverse().find((run) => run.stateName === stateName && (mapRunArn === undefined || run.mapRunArn === mapRunArn));
  const succeededChildren = new Map<number, ChildExecutionRecord>();
  for (const child of record?.executions ?? []) if (child.status === 'SUCCEEDED') succeededChildren.set(child.index, child);
  return {
    stateName,
    kind: 'distributed-map',
    results: new Map([...succeededChildren].map(([index, child]) => [index, child.output])),
    resumes: new Map(),
    ...(record ? { mapRun: { mapRunArn: record.mapRunArn, succeededChildren } } : {}),
    consumed: false,
  };
}

/**
 * What to keep when a redrive resumes at `stateName`, given its attempts that a redrive continues
 * (see HistoryThreads.continuedAttempts). undefined for other kinds of state or when the state
 * never got as far as starting its branches/iterations.
 */
function reuseFor(scope: ReuseScope, stateName: string, state: StateDefinition | undefined, attempts: HistoryEvent[]): RedriveReuse | undefined {
  if (!state || attempts.length === 0) return undefined;
  if (state.Type === 'Parallel') return parallelReuse(scope, stateName, state, attempts);
  if (state.Type !== 'Map') return undefined;
  if (state.ItemProcessor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') return inlineMapReuse(scope, stateName, attempts);
  return distributedMapReuse(scope, stateName, attempts);
}

/**
 * What to keep when a redrive resumes at the top-level state `stateName`, whose attempts in the
 * unsuccessful visit began at `started` (MapStateStarted/ParallelStateStarted events).
 */
export function redriveReuseFor(
  definition: StateMachineBody,
  threads: HistoryThreads,
  stateName: string,
  started: readonly HistoryEvent[],
  previousMapRuns: readonly MapRunRecord[] = [],
): RedriveReuse | undefined {
  return reuseFor({ threads, previousMapRuns }, stateName, definition.States[stateName], threads.continuedAttempts(started));
}

/** Takes the kept results for the first attempt of `stateName` in this redrive, once. */
export function takeRedriveReuse(reuse: RedriveReuse | undefined, stateName: string): RedriveReuse | undefined {
  if (!reuse || reuse.consumed || reuse.stateName !== stateName) return undefined;
  reuse.consumed = true;
  return reuse;
}
