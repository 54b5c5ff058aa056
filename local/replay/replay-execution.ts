/**
 * Replay: re-runs a recorded execution offline against a (possibly changed) definition, feeding
 * the recorded Task results back, and reports whether path and outcome match and where not.
 *
 * The context object is the recording's: execution name and ARN, start time, the redrives (each
 * replayed as a redrive of the replay's own history, at its recorded time) and the Distributed
 * Map children's names and start times. An attempt the recording never finished (the run was
 * stopped or killed during it) stops the replay there too, as an abort.
 */
import { loadDefinition, redriveExecution, runExecution, VirtualClock, type ContextOverrides, type ExecutionResult, type HistoryEvent, type MapRunRecord } from '../asl/index.js';
import { jsonEquals } from '../asl/intrinsics/json-equality.js';
import { allStates, definitionChanges, hasChanges, mapDepths, type DefinitionChanges } from './definition-walk.js';
import type { Divergence } from './divergence.js';
import { executionInputOf, type RecordedExecution } from '../execution-history/history-file.js';
import { recordedAttempts } from './recorded-tasks.js';
import { addMapRunAttempts, readerItemsFromMapRuns } from './map-run-recordings.js';
import { replayRegistry } from './replay-registry.js';
import { stateVisits, type StateVisit } from './state-visits.js';
import { CLOSING_EVENT_TYPES, outcomeOf, type ExecutionOutcome } from '../execution-history/execution-outcome.js';

export interface ReplayOptions {
  recording: RecordedExecution;
  /** The definition to replay against. @default the recording's own definition */
  definition?: unknown;
}

export interface ReplayReport {
  identical: boolean;
  pathMatches: boolean;
  outcomeMatches: boolean;
  recorded: ExecutionOutcome & { path: string[] };
  replayed: ExecutionOutcome & { path: string[] };
  /** In the order the recording reached them; the first one is where the runs part. */
  divergences: Divergence[];
  /** How the definition replayed differs from the one the recording ran (when it has one and they differ). */
  definitionChanges?: DefinitionChanges;
  /** Redrives replayed (ExecutionRedriven events of the recording). */
  redrives: number;
  /** The replay's own history (GetExecutionHistory-shaped). */
  history: HistoryEvent[];
}

const ARN_NAME = /^arn:[\w-]+:states:[\w-]+:\d{12}:execution:[\w.-]+:([^:]+)$/;
const MACHINE_ARN = /^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w.-]+$/;

function executionIdentity(recording: RecordedExecution): { executionName?: string; stateMachineArn?: string } {
  const execution = recording.execution ?? {};
  const name = typeof execution.name === 'string'
    ? execution.name
    : typeof execution.executionArn === 'string'
      ? ARN_NAME.exec(execution.executionArn)?.[1]
      : undefined;
  const machine = typeof execution.stateMachineArn === 'string' && MACHINE_ARN.test(execution.stateMachineArn) ? execution.stateMachineArn : undefined;
  return { ...(name !== undefined ? { executionName: name } : {}), ...(machine !== undefined ? { stateMachineArn: machine } : {}) };
}

function dateOf(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value < 1e11 ? value * 1000 : value) : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Context-object facts from the recording: start time and the Distributed Map children. */
function recordedContext(recording: RecordedExecution): ContextOverrides & { startTime: Date } {
  const started = recording.events.find((event) => event.type === 'ExecutionStarted');
  const startTime = dateOf(recording.execution?.startDate) ?? started?.timestamp ?? new Date(0);
  const runArns = new Map<string, string[]>();
  const children = new Map<string, { name: string; startTime: Date }>();
  for (const run of recording.mapRuns ?? []) {
    const arns = runArns.get(run.stateName) ?? [];
    if (!arns.includes(run.mapRunArn)) arns.push(run.mapRunArn);
    runArns.set(run.stateName, arns);
    for (const child of run.executions) {
      const childStart = dateOf(child.startDate) ?? child.history[0]?.timestamp;
      if (child.name && childStart) children.set(`${run.stateName}#${child.index}`, { name: child.name, startTime: childStart });
    }
  }
  const runsStarted = new Map<string, number>();
  return {
    startTime,
    mapRunArn: (stateName) => {
      const ordinal = runsStarted.get(stateName) ?? 0;
      runsStarted.set(stateName, ordinal + 1);
      return runArns.get(stateName)?.[ordinal];
    },
    mapChild: (stateName, index) => children.get(`${stateName}#${index}`),
  };
}

/** The recording cut at its ExecutionRedriven events: each attempt's closing event and the redrive that follows. */
function attemptsOf(events: readonly HistoryEvent[]): { closing?: HistoryEvent; redriven?: HistoryEvent }[] {
  const attempts: { closing?: HistoryEvent; redriven?: HistoryEvent }[] = [{}];
  for (const event of events) {
    if (event.type === 'ExecutionRedriven') attempts.push({ redriven: event });
    else if (CLOSING_EVENT_TYPES.has(event.type)) attempts[attempts.length - 1]!.closing = event;
  }
  return attempts;
}

function compareVisits(recorded: StateVisit[], replayed: StateVisit[]): Divergence[] {
  const divergences: Divergence[] = [];
  const replayedByKey = new Map(replayed.map((visit) => [`${visit.key}#${visit.visit}`, visit]));
  const recordedKeys = new Set<string>();
  for (const visit of recorded) {
    const id = `${visit.key}#${visit.visit}`;
    recordedKeys.add(id);
    const where = { state: visit.state, ...(visit.mapIndex !== undefined ? { mapIndex: visit.mapIndex } : {}), invocation: visit.visit };
    const other = replayedByKey.get(id);
    if (!other) {
      divergences.push({ kind: 'state-not-reached', ...where, recordedInput: visit.input, message: `The replay never entered ${visit.key} (visit ${visit.visit}) that the recording entered` });
    } else if (!jsonEquals(visit.input, other.input)) {
      divergences.push({
        kind: 'state-input',
        ...where,
        recordedInput: visit.input,
        replayedInput: other.input,
        message: `${visit.key} (visit ${visit.visit}) was entered with a different input`,
      });
    }
  }
  for (const visit of replayed) {
    if (recordedKeys.has(`${visit.key}#${visit.visit}`)) continue;
    divergences.push({
      kind: 'unexpected-state',
      state: visit.state,
      ...(visit.mapIndex !== undefined ? { mapIndex: visit.mapIndex } : {}),
      invocation: visit.visit,
      replayedInput: visit.input,
      message: `The replay entered ${visit.key} (visit ${visit.visit}) that the recording never entered`,
    });
  }
  return divergences;
}

function sameOutcome(a: ExecutionOutcome, b: ExecutionOutcome): boolean {
  return a.status === b.status && a.error === b.error && jsonEquals(a.output, b.output);
}

export async function replayExecution(options: ReplayOptions): Promise<ReplayReport> {
  const { recording } = options;
  const definitionSource = options.definition ?? recording.definition;
  if (definitionSource === undefined) {
    throw new Error('The recording holds no definition and none was given: pass the definition to replay against');
  }
  const definition = loadDefinition(definitionSource as string | object);
  const changes = recording.definition === undefined ? undefined : definitionChanges(loadDefinitionLoose(recording.definition), definition as never);
  const depths = mapDepths(definition as never);
  const attempts = recordedAttempts(recording.events, depths);
  addMapRunAttempts(attempts, recording.mapRuns ?? [], depths);
  let stopReplay: ((cause: string) => Promise<never>) | undefined;
  const registry = replayRegistry(attempts, undefined, { onUnfinished: () => stopReplay?.(abortedCause) });
  const readerItems = readerItemsFromMapRuns(definition, recording.mapRuns ?? []);
  // Nested states too: a Distributed Map can run inside a Parallel branch.
  const statesByName = allStates(definition as never);
  const tasks = {
    // A Distributed Map's ItemReader is not in the history: answer it from the Map Run's children.
    handlerFor: (target: { stateName: string; resource: string }) => {
      const items = readerItems.get(target.stateName);
      const reader = statesByName.get(target.stateName)?.ItemReader as { Resource?: string } | undefined;
      if (items && reader?.Resource === target.resource) return async () => structuredClone(items);
      return registry.handlerFor(target);
    },
  };
  const identity = executionIdentity(recording);
  const context = recordedContext(recording);
  const segments = attemptsOf(recording.events);
  const lastRedriveDate = dateOf(recording.execution?.redriveDate);
  let abortedCause = '';
  let result: ExecutionResult | undefined;
  let mapRuns: MapRunRecord[] = [];
  for (const [index, segment] of segments.entries()) {
    const control = new AbortController();
    const closing = segment.closing;
    // Only an attempt that was aborted in the recording stops at its unfinished Task.
    stopReplay = closing?.type === 'ExecutionAborted'
      ? (cause) => {
          control.abort(cause);
          return new Promise<never>(() => undefined);
        }
      : undefined;
    abortedCause = closing?.executionAbortedEventDetails?.cause ?? 'aborted';
    const common = { definition, tasks, random: () => 0.5, signal: control.signal, ...identity };
    if (index === 0) {
      result = await runExecution({ ...common, input: executionInputOf(recording.events), clock: new VirtualClock(context.startTime), contextOverrides: context });
    } else {
      const redriveTime = (index === segments.length - 1 ? lastRedriveDate : undefined) ?? segment.redriven?.timestamp ?? context.startTime;
      result = await redriveExecution({
        ...common,
        executionName: identity.executionName ?? result!.name,
        history: result!.history,
        previousMapRuns: mapRuns,
        clock: new VirtualClock(segment.redriven?.timestamp ?? redriveTime),
        contextOverrides: { ...context, redriveTime },
      });
    }
    const redrivenArns = new Set(result.mapRuns.map((run) => run.mapRunArn));
    mapRuns = [...mapRuns.filter((run) => !redrivenArns.has(run.mapRunArn)), ...result.mapRuns];
    // The replay cannot redrive what it did not fail: the rest shows up as divergences.
    if (result.status === 'SUCCEEDED') break;
  }
  if (!result) throw new Error('The recording has no execution to replay');

  const recordedVisits = stateVisits(recording.events, depths);
  const replayedVisits = stateVisits(result.history, depths);
  const visitDivergences = compareVisits(recordedVisits, replayedVisits);
  const recordedOutcome = outcomeOf(recording.events);
  const replayedOutcome = outcomeOf(result.history);
  const outcomeMatches = sameOutcome(recordedOutcome, replayedOutcome);

  // Task-level findings first where they explain a state-level one; order by where the recording is.
  const positionOf = new Map(recordedVisits.map((visit, index) => [`${visit.key}#${visit.visit}`, index]));
  const rank = (d: Divergence): number => {
    const key = d.state === undefined ? undefined : `${d.mapIndex === undefined ? d.state : `${d.state}[${d.mapIndex}]`}`;
    const candidates = [...positionOf.entries()].filter(([id]) => key !== undefined && id.startsWith(`${key}#`));
    return candidates.length > 0 ? Math.min(...candidates.map(([, index]) => index)) : Number.MAX_SAFE_INTEGER;
  };
  const divergences = [...registry.divergences, ...visitDivergences].sort((a, b) => rank(a) - rank(b));
  for (const attempt of registry.unused()) {
    divergences.push({
      kind: 'unused-recorded-result',
      state: attempt.stateName,
      ...(attempt.mapIndex !== undefined ? { mapIndex: attempt.mapIndex } : {}),
      recordedInput: attempt.parameters,
      message: `The recording has a Task result for ${attempt.stateName} that the replay never asked for`,
    });
  }
  if (!outcomeMatches) {
    divergences.push({
      kind: 'outcome',
      recorded: recordedOutcome,
      replayed: replayedOutcome,
      message: `The recording ended ${recordedOutcome.status}${recordedOutcome.error ? ` (${recordedOutcome.error})` : ''}, the replay ${replayedOutcome.status}${replayedOutcome.error ? ` (${replayedOutcome.error})` : ''}`,
    });
  }
  const pathMatches = !divergences.some((d) => d.kind === 'state-not-reached' || d.kind === 'unexpected-state');
  return {
    identical: divergences.length === 0,
    pathMatches,
    outcomeMatches,
    recorded: { ...recordedOutcome, path: recordedVisits.map((visit) => visit.state) },
    replayed: { ...replayedOutcome, path: replayedVisits.map((visit) => visit.state) },
    divergences,
    ...(changes && hasChanges(changes) ? { definitionChanges: changes } : {}),
    redrives: segments.length - 1,
    history: result.history,
  };
}

/** The recording's definition as plain JSON (not validated: it may be one the engine no longer runs). */
function loadDefinitionLoose(definition: unknown): never {
  return (typeof definition === 'string' ? JSON.parse(definition) : definition) as never;
}
