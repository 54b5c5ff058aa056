/**
 * `pricesense/testing`: Step Functions workflows under test, offline.
 *
 *   import { runWithMocks, replayRecording, mockConfigFor, expectPath } from 'pricesense/testing';
 *
 * - runWithMocks: run a definition with a Step Functions Local MockConfigFile test case (or a
 *   recording turned into one), no AWS and no emulators.
 * - replayRecording: replay a recording (`pricesense record` file, a local run's recording.json or
 *   its folder) against a definition: `identical`, the first divergences, path and outcome.
 * - expectPath: the states an execution entered, compared in order, with a readable failure.
 */
import { readFileSync } from 'node:fs';
import { runExecution, VirtualClock, type ExecutionResult } from '../asl/index.js';
import { loadMockConfig, mockTaskRegistry } from '../asl/mock-config/index.js';
import { loadExecutionSource } from '../execution-history/execution-source.js';
import { readRecordedExecution, type RecordedExecution } from '../execution-history/history-file.js';
import { mockConfigFromRecording, stateMachineNameOf, type MockConfigFile } from '../replay/mock-config.js';
import { replayExecution, type ReplayReport } from '../replay/replay-execution.js';

export type { MockConfigFile, RecordedExecution, ReplayReport, ExecutionResult };

/** A recording from a file, an execution folder, or a local execution name (in `stateDir`). */
export function loadRecording(reference: string, stateDir = '.pricesense'): RecordedExecution {
  return loadExecutionSource(reference, stateDir);
}

/** A recording as a MockConfigFile test case (what `pricesense mock-config` writes). */
export function mockConfigFor(recording: RecordedExecution | string, testCase: string, stateMachine?: string): MockConfigFile {
  const loaded = typeof recording === 'string' ? readRecordedExecution(recording) : recording;
  return mockConfigFromRecording(loaded, { testCase, stateMachine: stateMachine ?? stateMachineNameOf(loaded) ?? 'StateMachine' });
}

export interface RunWithMocksOptions {
  /** ASL (object or JSON text). */
  definition: object | string;
  input?: unknown;
  /** A MockConfigFile object or the path of one. */
  mockConfig: MockConfigFile | string;
  testCase: string;
  /** @default the only state machine in the mock config */
  stateMachine?: string;
  /** @default 'local-test' */
  executionName?: string;
}

/** Runs the definition with every Task answered by the mock config; Waits and retries take no time. */
export async function runWithMocks(options: RunWithMocksOptions): Promise<ExecutionResult> {
  const raw = typeof options.mockConfig === 'string' ? (JSON.parse(readFileSync(options.mockConfig, 'utf8')) as unknown) : options.mockConfig;
  const tasks = mockTaskRegistry(loadMockConfig(raw), { testCase: options.testCase, ...(options.stateMachine ? { stateMachineName: options.stateMachine } : {}) });
  return runExecution({
    definition: options.definition,
    input: options.input ?? {},
    tasks,
    clock: new VirtualClock(),
    random: () => 0.5,
    executionName: options.executionName ?? 'local-test',
  });
}

/** Replays a recording; the definition defaults to the one the recording ran. */
export async function replayRecording(recording: RecordedExecution | string, definition?: object | string): Promise<ReplayReport> {
  const loaded = typeof recording === 'string' ? loadRecording(recording) : recording;
  return replayExecution({ recording: loaded, ...(definition !== undefined ? { definition } : {}) });
}

export class PathMismatchError extends Error {
  constructor(readonly expected: readonly string[], readonly actual: readonly string[]) {
    const at = expected.findIndex((state, index) => actual[index] !== state);
    const where = at < 0 ? expected.length : at;
    super(`The execution took a different path from state ${where + 1}: expected ${JSON.stringify(expected[where] ?? '(end)')}, got ${JSON.stringify(actual[where] ?? '(end)')}.\n  expected: ${expected.join(' → ')}\n  actual:   ${actual.join(' → ')}`);
    this.name = 'PathMismatchError';
  }
}

/** Asserts the states the execution entered, in order (nested Map/Parallel states included). */
export function expectPath(result: Pick<ExecutionResult, 'path'>, expected: readonly string[]): void {
  const actual = result.path;
  if (actual.length !== expected.length || actual.some((state, index) => state !== expected[index])) throw new PathMismatchError(expected, actual);
}
