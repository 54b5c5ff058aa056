/**
 * A recording as a Step Functions Local MockConfigFile: every Task state's invocations, in the
 * order they happened (retries and Map iterations count, as Step Functions Local counts them),
 * each with what it returned (`Return`) or threw (`Throw`). Running the definition with this test
 * case reproduces the recorded execution — a production failure becomes a test.
 */
import type { MapRunRecord } from '../asl/index.js';
import { mapDepths } from './definition-walk.js';
import type { RecordedExecution } from '../execution-history/history-file.js';
import { readerItemsFromMapRuns } from './map-run-recordings.js';
import { recordedAttempts, type RecordedAttempt } from './recorded-tasks.js';

export type MockedOutcome = { Return: unknown } | { Throw: { Error: string; Cause: string } };

export interface MockConfigFile {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockedOutcome>>;
}

function outcomeOf(attempt: RecordedAttempt): MockedOutcome | undefined {
  if (attempt.outcome.kind === 'return') return { Return: attempt.outcome.value };
  if (attempt.outcome.kind === 'throw') return { Throw: { Error: attempt.outcome.error, Cause: attempt.outcome.cause ?? '' } };
  return undefined;
}

/** `{"0": r0, "1": r1, "2": r1}` → `{"0": r0, "1-2": r1}`: equal neighbours share one range. */
function ranges(outcomes: MockedOutcome[]): Record<string, MockedOutcome> {
  const entries: Record<string, MockedOutcome> = {};
  let start = 0;
  for (let index = 1; index <= outcomes.length; index++) {
    if (index < outcomes.length && JSON.stringify(outcomes[index]) === JSON.stringify(outcomes[start])) continue;
    entries[index - 1 === start ? String(start) : `${start}-${index - 1}`] = outcomes[start]!;
    start = index;
  }
  return entries;
}

/** The state machine name of the recording (from its ARN), for the StateMachines key. */
export function stateMachineNameOf(recording: RecordedExecution): string | undefined {
  const arn = recording.execution?.stateMachineArn;
  return typeof arn === 'string' ? arn.split(':stateMachine:')[1] : undefined;
}

export function mockConfigFromRecording(recording: RecordedExecution, options: { testCase: string; stateMachine: string; definition?: unknown }): MockConfigFile {
  const definition = (options.definition ?? recording.definition ?? { States: {} }) as never;
  const depths = mapDepths(definition);
  const all: RecordedAttempt[] = [...recordedAttempts(recording.events, depths).values()].flat();
  // Distributed Map children: their Tasks run after the Map started, child by child.
  const mapRuns: readonly MapRunRecord[] = recording.mapRuns ?? [];
  for (const run of mapRuns) {
    for (const child of [...run.executions].sort((a, b) => a.index - b.index)) {
      const childAttempts = [...recordedAttempts(child.history, depths, { index: child.index, depth: (depths.get(run.stateName) ?? 0) + 1 }).values()].flat();
      all.push(...childAttempts.sort((a, b) => a.eventId - b.eventId).map((attempt) => ({ ...attempt, eventId: Number.MAX_SAFE_INTEGER / 2 + child.index * 1e6 + attempt.eventId })));
    }
  }
  all.sort((a, b) => a.eventId - b.eventId);
  const byState = new Map<string, MockedOutcome[]>();
  for (const attempt of all) {
    const outcome = outcomeOf(attempt);
    // An attempt that never finished (stopped or killed) has nothing to mock: later ones would be misnumbered.
    if (!outcome) continue;
    const list = byState.get(attempt.stateName) ?? [];
    list.push(outcome);
    byState.set(attempt.stateName, list);
  }
  // A Distributed Map's ItemReader (e.g. s3:listObjectsV2) is mocked under the Map state's name
  // with the items its children got: `pricesense exec` reads it; Step Functions Local ignores it.
  if (recording.definition !== undefined || options.definition !== undefined) {
    for (const [state, items] of readerItemsFromMapRuns(definition as never, mapRuns)) byState.set(state, [{ Return: items }]);
  }
  const testCase: Record<string, string> = {};
  const responses: Record<string, Record<string, MockedOutcome>> = {};
  for (const [state, outcomes] of byState) {
    const name = `${options.testCase}.${state}`;
    testCase[state] = name;
    responses[name] = ranges(outcomes);
  }
  return { StateMachines: { [options.stateMachine]: { TestCases: { [options.testCase]: testCase } } }, MockedResponses: responses };
}
