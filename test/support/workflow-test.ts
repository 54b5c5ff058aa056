/**
 * Vitest helper: run the pipeline workflow (or any definition) offline with a Step Functions
 * Local MockConfigFile test case or a recorded history, and assert on path, output and events.
 *
 *   const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig, testCase: 'HappyPath', input });
 *   expect(run.path).toEqual([...]);
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExecution, VirtualClock, type HistoryEvent, type TaskRegistry } from '../../local/asl/index.js';
import { loadMockConfig, mockTaskRegistry } from '../../local/asl/mock-config/index.js';
import { replayExecution, type RecordedExecution, type ReplayReport } from '../../local/replay/index.js';
import { resolveDefinition } from '../../local/template/index.js';
import { writeFileAtomicSync } from '../../local/state/atomic-write.js';
import { synthesisFingerprint as fingerprintOf } from '../../local/backend/synthesis-cache.js';
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';
import { parseHistoryJson } from '../../local/execution-history/history-json.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface WorkflowRun {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** State names entered, in entry order (nested states included). */
  path: string[];
  output?: unknown;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  /** The events of one type, e.g. run.eventsOf('TaskFailed'). */
  eventsOf(type: HistoryEvent['type']): HistoryEvent[];
  /** The parsed input each visit of a state was entered with. */
  inputsOf(stateName: string): unknown[];
  /** The parsed Arguments/Parameters each Task attempt of a state was called with. */
  taskInputsOf(stateName: string): unknown[];
}

export interface RunWorkflowOptions {
  /** ASL (text or object). @default the pipeline synthesized with default config */
  definition?: string | object;
  /** A MockConfigFile (path or parsed JSON) and the test case to run. */
  mockConfig?: string | object;
  testCase?: string;
  /** The state machine in the mock config. @default the only one */
  stateMachineName?: string;
  /** Extra task handlers (used for states the test case does not mock). */
  tasks?: TaskRegistry;
  input?: unknown;
  executionName?: string;
}


function toRun(result: { status: WorkflowRun['status']; path: string[]; output?: unknown; error?: string; cause?: string; history: HistoryEvent[] }): WorkflowRun {
  const events = result.history;
  const byId = new Map(events.map((event) => [event.id, event]));
  const stateOf = (event: HistoryEvent): string | undefined => {
    let current: HistoryEvent | undefined = event;
    while (current && !current.stateEnteredEventDetails) current = byId.get(current.previousEventId);
    return current?.stateEnteredEventDetails?.name;
  };
  return {
    status: result.status,
    path: result.path,
    ...(result.output !== undefined ? { output: result.output } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    events,
    eventsOf: (type) => events.filter((event) => event.type === type),
    inputsOf: (stateName) =>
      events.filter((event) => event.stateEnteredEventDetails?.name === stateName).map((event) => parseHistoryJson(event.stateEnteredEventDetails?.input)),
    taskInputsOf: (stateName) =>
      events
        .filter((event) => (event.type === 'TaskScheduled' || event.type === 'LambdaFunctionScheduled') && stateOf(event) === stateName)
        .map((event) => parseHistoryJson(event.taskScheduledEventDetails?.parameters ?? event.lambdaFunctionScheduledEventDetails?.input)),
  };
}

/** Runs a definition with mocked Task results on a virtual clock (Waits and retry backoff take no time). */
export async function runWorkflow(options: RunWorkflowOptions = {}): Promise<WorkflowRun> {
  const definition = options.definition ?? (await pipelineDefinition());
  let tasks: TaskRegistry | undefined = options.tasks;
  if (options.mockConfig !== undefined) {
    if (options.testCase === undefined) throw new Error('runWorkflow: mockConfig needs a testCase naming the test case to run');
    const config = loadMockConfig(typeof options.mockConfig === 'string' ? (JSON.parse(readFileSync(options.mockConfig, 'utf8')) as unknown) : options.mockConfig);
    tasks = mockTaskRegistry(config, {
      testCase: options.testCase,
      ...(options.stateMachineName !== undefined ? { stateMachineName: options.stateMachineName } : {}),
      ...(options.tasks ? { fallback: options.tasks } : {}),
    });
  }
  if (!tasks) throw new Error('runWorkflow needs a mockConfig with a testCase, or tasks');
  const result = await runExecution({
    definition,
    input: options.input ?? {},
    tasks,
    clock: new VirtualClock(),
    random: () => 0.5,
    ...(options.executionName !== undefined ? { executionName: options.executionName } : {}),
  });
  return toRun(result);
}

/** Replays a recorded history (from `pricesense record`, a local run, or a fixture) against a definition. */
export async function replayWorkflow(recording: RecordedExecution, definition?: string | object): Promise<ReplayReport & { run: WorkflowRun }> {
  const report = await replayExecution({ recording, ...(definition !== undefined ? { definition } : {}) });
  const replayed = report.replayed;
  const run = toRun({
    status: replayed.status === 'RUNNING' ? 'ABORTED' : replayed.status,
    path: replayed.path,
    ...(replayed.output !== undefined ? { output: replayed.output } : {}),
    ...(replayed.error !== undefined ? { error: replayed.error } : {}),
    ...(replayed.cause !== undefined ? { cause: replayed.cause } : {}),
    history: report.history,
  });
  return { ...report, run };
}

// ---- the pipeline's definition, synthesized from the CDK app (cached on disk: synthesis is slow)

const REQUIRED_TASKS = ['validate-input', 'ingest-features', 'evaluate-model', 'start-execution'];
const REQUIRED_GLUE = ['raw_to_silver.py', 'silver_to_gold.py', join('sql', 'data_quality.sql')];

/** Everything synthesis reads (see local/backend/synthesis-cache.ts). */
export const synthesisFingerprint = (inputs: { tasksDir: string; glueScriptsDir: string }): string => fingerprintOf(inputs);

/** Entry files for synthesis: the real ones once they exist, placeholders until then (bundling is skipped). */
function synthesisInputs(): { tasksDir: string; glueScriptsDir: string } {
  const realTasks = join(REPO_ROOT, 'tasks');
  let tasksDir = realTasks;
  if (!REQUIRED_TASKS.every((name) => existsSync(join(realTasks, `${name}.ts`)))) {
    tasksDir = join(REPO_ROOT, 'cdk.out', 'workflow-test-task-entries');
    mkdirSync(tasksDir, { recursive: true });
    for (const name of REQUIRED_TASKS) writeFileSync(join(tasksDir, `${name}.ts`), 'export const handler = async () => ({});\n');
  }
  const realGlue = join(REPO_ROOT, 'glue-scripts');
  const glueScriptsDir = REQUIRED_GLUE.every((file) => existsSync(join(realGlue, file))) ? realGlue : join(REPO_ROOT, 'test', 'infra', 'fixtures', 'glue-scripts');
  return { tasksDir, glueScriptsDir };
}

const memory = new Map<string, object>();
// Source files do not change under one test process; computing the fingerprint once keeps each call cheap.
let fingerprint: { inputs: { tasksDir: string; glueScriptsDir: string }; value: string } | undefined;

function currentFingerprint(): { inputs: { tasksDir: string; glueScriptsDir: string }; value: string } {
  if (!fingerprint) {
    const inputs = synthesisInputs();
    fingerprint = { inputs, value: synthesisFingerprint(inputs) };
  }
  return fingerprint;
}

/**
 * The pipeline's ASL as the CDK app synthesizes it for `config`, resolved to local names.
 * Cached in cdk.out/workflow-test-cache, keyed by config and everything synthesis reads
 * (see synthesisFingerprint).
 */
export async function pipelineDefinition(config: DeepPartial<PipelineConfig> = {}): Promise<object> {
  const { inputs, value } = currentFingerprint();
  const key = createHash('sha256').update(JSON.stringify(config)).update(value).digest('hex').slice(0, 32);
  const cached = memory.get(key);
  if (cached) return cached;
  const cacheDir = join(REPO_ROOT, 'cdk.out', 'workflow-test-cache');
  const cacheFile = join(cacheDir, `${key}.json`);
  if (existsSync(cacheFile)) {
    const definition = JSON.parse(readFileSync(cacheFile, 'utf8')) as object;
    memory.set(key, definition);
    return definition;
  }
  const { synthesizePipeline } = await import('../../infra/synthesize.js');
  const synthesized = synthesizePipeline({ config, nag: false, ...inputs, outdir: join(REPO_ROOT, 'cdk.out', `workflow-test-${process.pid}-${key}`) });
  const template = synthesized.templates[synthesized.stackName] as object;
  const definition = resolveDefinition(template, synthesized.stateMachineLogicalId);
  mkdirSync(cacheDir, { recursive: true });
  // Parallel test files may synthesize the same key: never let one read a half-written file.
  writeFileAtomicSync(cacheFile, JSON.stringify(definition));
  memory.set(key, definition);
  return definition;
}
