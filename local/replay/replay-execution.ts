/**
 * Replay: re-runs a recorded execution offline against a (possibly changed) definition, feeding
 * the recorded Task results back, and reports whether path and outcome match and where not.
 */
import { loadDefinition, runExecution, VirtualClock, type HistoryEvent } from '../asl/index.js';
import { jsonEquals } from '../asl/intrinsics/json-equality.js';
import { statesInsideMaps } from './definition-walk.js';
import type { Divergence } from './divergence.js';
import { executionInputOf, type RecordedExecution } from './history-file.js';
import { recordedAttempts } from './recorded-tasks.js';
import { addMapRunAttempts, readerItemsFromMapRuns } from './map-run-recordings.js';
import { replayRegistry } from './replay-registry.js';
import { outcomeOf, stateVisits, type ExecutionOutcome, type StateVisit } from './state-visits.js';

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
  const insideMaps = statesInsideMaps(definition as never);
  const attempts = recordedAttempts(recording.events, insideMaps);
  addMapRunAttempts(attempts, recording.mapRuns ?? []);
  const registry = replayRegistry(attempts, insideMaps);
  const readerItems = readerItemsFromMapRuns(definition, recording.mapRuns ?? []);
  const tasks = {
    // A Distributed Map's ItemReader is not in the history: answer it from the Map Run's children.
    handlerFor: (target: { stateName: string; resource: string }) => {
      const items = readerItems.get(target.stateName);
      if (items && definition.States[target.stateName]?.ItemReader?.Resource === target.resource) return async () => structuredClone(items);
      return registry.handlerFor(target);
    },
  };
  const started = recording.events.find((event) => event.type === 'ExecutionStarted');
  const result = await runExecution({
    definition,
    input: executionInputOf(recording.events),
    tasks,
    clock: new VirtualClock(started?.timestamp ?? new Date(0)),
    random: () => 0.5,
    ...executionIdentity(recording),
  });

  const recordedVisits = stateVisits(recording.events, insideMaps);
  const replayedVisits = stateVisits(result.history, insideMaps);
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
    history: result.history,
  };
}
