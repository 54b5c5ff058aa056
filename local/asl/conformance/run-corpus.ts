/**
 * Runs a corpus of AWS-recorded executions (`shared/conformance/aws-recorded-asl.json`) through the
 * engine in this process and compares each outcome with AWS's, as `run-aws-recorded.py` does
 * through `pricesense exec --json` one process per case. Time runs on a virtual clock per case, so
 * Wait states and retry intervals cost nothing (the script divides them by --speed-up instead).
 */
import { readFileSync } from 'node:fs';
import { VirtualClock } from '../clock.js';
import { DefinitionError } from '../errors/definition-error.js';
import { runExecution } from '../execution.js';
import { ExecutionInputTooLargeError } from '../limits.js';
import { loadMockConfig, mockTaskRegistry } from '../mock-config/index.js';
import type { TaskRegistry } from '../task-dispatch.js';
import { compareOutcome, type ObservedOutcome, type RecordedCase } from './compare.js';

export interface CaseResult {
  id: string;
  category: string;
  /** undefined when the case matches AWS. */
  problem: string | undefined;
}

export interface CorpusReport {
  total: number;
  matched: number;
  /** category → [matched, total], categories sorted. */
  byCategory: Record<string, { matched: number; total: number }>;
  mismatches: CaseResult[];
  seconds: number;
}

export interface CorpusOptions {
  /** Only cases whose id this matches. */
  filter?: RegExp;
  /** Real-time seconds after which a case counts as a hang. @default 60 */
  caseTimeoutSeconds?: number;
}

/** Reads a corpus file: a JSON array of recorded cases. */
export function readCorpus(path: string): RecordedCase[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`the corpus ${path} is not a JSON array of cases`);
  return parsed as RecordedCase[];
}

function registryFor(recorded: RecordedCase): TaskRegistry {
  const mock = recorded.mock;
  if (!mock) return { handlerFor: () => undefined };
  const config = loadMockConfig(mock.config);
  const machines = (mock.config as { StateMachines?: Record<string, unknown> }).StateMachines ?? {};
  // As the script does: name the state machine only when the file holds more than one.
  const named = mock.state_machine !== undefined && Object.keys(machines).length > 1;
  return mockTaskRegistry(config, { testCase: mock.test_case, ...(named ? { stateMachineName: mock.state_machine } : {}) });
}

/** Runs one case as `pricesense exec --json` would and returns what it prints (JSON round trip). */
export async function observeCase(recorded: RecordedCase): Promise<ObservedOutcome> {
  try {
    const result = await runExecution({
      definition: recorded.definition as object,
      input: recorded.input,
      tasks: registryFor(recorded),
      clock: new VirtualClock(new Date()),
    });
    const { status, output, error, cause } = result;
    return JSON.parse(JSON.stringify({ status, output, error, cause })) as ObservedOutcome;
  } catch (error) {
    if (error instanceof DefinitionError) return { status: 'INVALID_DEFINITION', error: 'DefinitionError', cause: error.message };
    if (error instanceof ExecutionInputTooLargeError) return { status: 'INVALID_INPUT', error: error.name, cause: error.message };
    throw error;
  }
}

async function checkCase(recorded: RecordedCase, timeoutSeconds: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), timeoutSeconds * 1000);
  });
  try {
    const observed = await Promise.race([observeCase(recorded), hang]);
    if (observed === 'hang') return `hang: no result within ${timeoutSeconds}s`;
    return compareOutcome(recorded, observed);
  } catch (error) {
    return `harness error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every case (one at a time: each has its own virtual clock) and tallies the results. */
export async function runCorpus(cases: RecordedCase[], options: CorpusOptions = {}): Promise<CorpusReport> {
  const started = performance.now();
  const selected = options.filter ? cases.filter((recorded) => options.filter!.test(recorded.id)) : cases;
  const byCategory: CorpusReport['byCategory'] = {};
  const mismatches: CaseResult[] = [];
  let matched = 0;
  for (const recorded of selected) {
    const category = recorded.category ?? '?';
    const problem = await checkCase(recorded, options.caseTimeoutSeconds ?? 60);
    const tally = (byCategory[category] ??= { matched: 0, total: 0 });
    tally.total += 1;
    if (problem === undefined) {
      matched += 1;
      tally.matched += 1;
    } else {
      mismatches.push({ id: recorded.id, category, problem });
    }
  }
  const sorted = Object.fromEntries(Object.keys(byCategory).sort().map((key) => [key, byCategory[key]!]));
  return { total: selected.length, matched, byCategory: sorted, mismatches, seconds: (performance.now() - started) / 1000 };
}
