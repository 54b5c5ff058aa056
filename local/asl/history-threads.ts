import { errorMatches } from './error-matching.js';
import type { StartPoint } from './execution.js';
import type { StateMachineBody } from './state-runner.js';
import type { HistoryEvent } from './history/history-event.js';

/** The key of the top-level thread in HistoryThreads (branches and iterations use their first event's id). */
export const TOP_LEVEL_THREAD = 0;

const ATTEMPT_STARTED = new Set(['MapStateStarted', 'ParallelStateStarted']);

/**
 * A Parallel branch begins with its first state's Entered event chained off ParallelStateStarted;
 * an inline Map iteration with MapIterationStarted chained off MapStateStarted. Everything else
 * chained off those events (ParallelStateFailed, MapRunStarted, ...) stays in the state's thread.
 */
function startsThread(event: HistoryEvent, previous: HistoryEvent): boolean {
  if (previous.type === 'ParallelStateStarted') return event.stateEnteredEventDetails !== undefined;
  if (previous.type === 'MapStateStarted') return event.type === 'MapIterationStarted';
  return false;
}

/**
 * Which thread (top level, Parallel branch, Map iteration) every event of a history belongs to.
 * Each event chains (previousEventId) to the one before it in its own thread, so membership is
 * inherited from the predecessor, except for a thread's first event. Execution* events are always
 * top level: a killed run's closing event chains off whatever event was written last, which may
 * sit inside a branch, and the redrive's events continue from it.
 */
export class HistoryThreads {
  private readonly threadOf = new Map<number, number>();
  private readonly events = new Map<number, HistoryEvent[]>();
  private readonly roots = new Map<number, HistoryEvent[]>();
  /** Ids of the ExecutionRedriven events, ascending. */
  readonly redrivenIds: number[] = [];

  constructor(history: readonly HistoryEvent[]) {
    const byId = new Map<number, HistoryEvent>();
    for (const event of [...history].sort((a, b) => a.id - b.id)) {
      byId.set(event.id, event);
      if (event.type === 'ExecutionRedriven') this.redrivenIds.push(event.id);
      const previous = byId.get(event.previousEventId);
      let key = TOP_LEVEL_THREAD;
      if (previous && !event.type.startsWith('Execution')) {
        if (startsThread(event, previous)) {
          key = event.id;
          const siblings = this.roots.get(previous.id) ?? [];
          siblings.push(event);
          this.roots.set(previous.id, siblings);
        } else {
          key = this.threadOf.get(previous.id) ?? TOP_LEVEL_THREAD;
        }
      }
      this.threadOf.set(event.id, key);
      const list = this.events.get(key) ?? [];
      list.push(event);
      this.events.set(key, list);
    }
  }

  /** The events of one thread, in order (only its own: nested threads' events are not included). */
  eventsOf(thread: number): HistoryEvent[] {
    return this.events.get(thread) ?? [];
  }

  /** The thread an event belongs to (TOP_LEVEL_THREAD or the id of its branch's/iteration's first event). */
  threadOfEvent(id: number): number {
    return this.threadOf.get(id) ?? TOP_LEVEL_THREAD;
  }

  /** The first events of the threads that `started` (a MapStateStarted/ParallelStateStarted) began. */
  rootsUnder(started: HistoryEvent): HistoryEvent[] {
    return this.roots.get(started.id) ?? [];
  }

  /**
   * The attempts of a Map/Parallel state whose results a redrive builds on: a redrive's first
   * attempt (the first Started after an ExecutionRedriven) continues the ones before it; any other
   * attempt (the first ever, or one a Retry began) started every branch/iteration afresh.
   */
  continuedAttempts(started: readonly HistoryEvent[]): HistoryEvent[] {
    let from = 0;
    for (let index = 1; index < started.length; index++) {
      const before = started[index - 1]!.id;
      const at = started[index]!.id;
      if (!this.redrivenIds.some((id) => id > before && id < at)) from = index;
    }
    return started.slice(from);
  }
}

/** How far one thread got: the state it was in when it stopped, and the variables assigned until then. */
export interface ThreadProgress {
  /** Variables assigned by the states that exited, the later assignment winning. */
  variables: Record<string, unknown>;
  /** The state entered and never exited, with its input and the Map/Parallel attempts it began. */
  pending?: { name: string; input: unknown; started: HistoryEvent[] };
  /**
   * The last state that exited when none is pending: its output, its visit's events (Entered to
   * Exited) and the variables as they were before its exit assigned any.
   */
  lastExited?: { name: string; output: unknown; visit: HistoryEvent[]; variablesBefore: Record<string, unknown> };
}

export function parseJsonText(text: string | undefined, fallback: unknown): unknown {
  return text === undefined ? fallback : (JSON.parse(text) as unknown);
}

/**
 * Walks one thread's events (all attempts of the execution, in order) over the states of `body`.
 * A state entered again without exiting in between was re-entered by a redrive: the same visit.
 */
export function threadProgress(events: readonly HistoryEvent[], body: StateMachineBody): ThreadProgress {
  const variables: Record<string, unknown> = {};
  let pending: ThreadProgress['pending'];
  let lastExited: ThreadProgress['lastExited'];
  let visit: HistoryEvent[] = [];
  for (const event of events) {
    const entered = event.stateEnteredEventDetails;
    const exited = event.stateExitedEventDetails;
    if (entered?.name !== undefined && entered.name in body.States) {
      const input = parseJsonText(entered.input, {});
      if (pending?.name !== entered.name) visit = [];
      pending = pending?.name === entered.name ? { ...pending, input } : { name: entered.name, input, started: [] };
      lastExited = undefined;
      visit.push(event);
    } else if (exited?.name !== undefined && exited.name in body.States) {
      pending = undefined;
      visit.push(event);
      lastExited = { name: exited.name, output: parseJsonText(exited.output, null), visit, variablesBefore: { ...variables } };
      visit = [];
      for (const [name, value] of Object.entries(exited.assignedVariables ?? {})) variables[name] = JSON.parse(value) as unknown;
    } else {
      visit.push(event);
      if (pending && ATTEMPT_STARTED.has(event.type)) pending.started.push(event);
    }
  }
  return { variables, ...(pending ? { pending } : {}), ...(lastExited ? { lastExited } : {}) };
}

/** The error name a failure event carries (TaskFailed, MapRunFailed, … do; MapStateFailed and ParallelStateFailed do not). */
function errorOf(event: HistoryEvent): string | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object' && typeof (value as { error?: unknown }).error === 'string') return (value as { error: string }).error;
  }
  return event.type.endsWith('TimedOut') ? 'States.Timeout' : undefined;
}

/** How a visit ended, from the events of its last entry (Execution* events of earlier attempts are not the state's). */
export type VisitOutcome = { kind: 'succeeded' } | { kind: 'failed'; error: string | undefined } | { kind: 'unknown' };

/**
 * How the visit's last attempt ended: its last Succeeded or Failed/TimedOut event, a failure that a
 * Retry overcame not counting. 'unknown' when there is none: a Choice or Pass, or an error raised
 * around the work (Parameters, ResultSelector, Output …) that writes no failure event.
 */
export function visitOutcome(visit: readonly HistoryEvent[]): VisitOutcome {
  const lastEntry = visit.findLastIndex((event) => event.stateEnteredEventDetails !== undefined);
  const attempt = visit.slice(lastEntry + 1).filter((event) => !event.type.startsWith('Execution') && !event.stateExitedEventDetails);
  for (let index = attempt.length - 1; index >= 0; index--) {
    const event = attempt[index]!;
    if (/Succeeded$/.test(event.type)) return { kind: 'succeeded' };
    if (/(Failed|TimedOut)$/.test(event.type)) {
      // A Distributed Map's MapStateFailed names no error; the MapRunFailed just before it may.
      const named = attempt.slice(0, index + 1).reverse().find((candidate) => /(Failed|TimedOut)$/.test(candidate.type) && errorOf(candidate) !== undefined);
      return { kind: 'failed', error: named ? errorOf(named) : undefined };
    }
  }
  return { kind: 'unknown' };
}

/**
 * A run stopped between two states (killed after one's StateExited, before the next's
 * StateEntered) continues where the definition goes from the last state that exited: its Next,
 * or the Next of the Catcher that caught its error, with its output. After a Choice, the Choice
 * itself runs again from its recorded input (the history does not say which rule matched; a
 * Choice has no side effects, though a rule reading $$ or calling $now() may choose otherwise).
 * Throws when the history cannot tell: a state with a Catch whose exit shows no failure (an error
 * after its work succeeded is caught without one), or a state that ended the execution.
 */
export function resumeAfterExit(
  exited: NonNullable<ThreadProgress['lastExited']>,
  variables: Record<string, unknown>,
  definition: StateMachineBody,
): StartPoint {
  const state = definition.States[exited.name] as { Type: string; Next?: string; End?: boolean; Catch?: Array<{ ErrorEquals: string[]; Next: string }> };
  if (state.Type === 'Choice') {
    const entered = exited.visit.findLast((event) => event.stateEnteredEventDetails?.name === exited.name);
    return { stateName: exited.name, input: parseJsonText(entered?.stateEnteredEventDetails?.input, {}), variables: exited.variablesBefore };
  }
  const catchers = state.Catch ?? [];
  const outcome = visitOutcome(exited.visit);
  if (outcome.kind === 'failed') {
    // It exited, so a Catcher caught it: the one matching the error, or the only place they all lead.
    const targets = new Set(catchers.map((candidate) => candidate.Next));
    const next = outcome.error !== undefined ? catchers.find((candidate) => errorMatches(candidate.ErrorEquals, outcome.error!))?.Next : targets.size === 1 ? [...targets][0] : undefined;
    if (next === undefined) {
      throw new Error(`State ${exited.name} exited after a caught ${outcome.error ?? 'failure'}, but the history does not tell which Catcher took it: nothing to redrive`);
    }
    return { stateName: next, input: exited.output, variables };
  }
  if (catchers.length > 0) {
    // An error raised after the work succeeded (ResultSelector, ResultPath, Output, Assign) is
    // caught without a failure event: the history cannot tell a caught exit from a normal one.
    throw new Error(`State ${exited.name} has a Catch, and its exit does not show whether a Catcher took it: nothing to redrive`);
  }
  if (state.Next === undefined) {
    throw new Error(`State ${exited.name} ended the execution before it closed (killed after its StateExited): nothing to redrive`);
  }
  return { stateName: state.Next, input: exited.output, variables };
}
