/**
 * `pricesense run`: the whole pipeline on this machine. Synthesizes the CDK app, runs its state
 * machine in the local interpreter against the local emulators, prints progress per state and a
 * summary. Exit 0 when the execution succeeded, 1 when it failed, 2 on a usage error.
 */
import { readFile, stat } from 'node:fs/promises';
import { generateIntoRawZone, stageFileInRawZone } from '../../pipeline-runner/raw-zone-staging.js';
import { newExecutionName, openLocalPipeline, startLocalExecution, type LocalPipeline } from '../../pipeline-runner/local-pipeline.js';
import { abortOnSignals, stopRunningJobs } from '../../pipeline-runner/run-lifecycle.js';
import { CONFIG_USAGE, commandConfig } from '../config-option.js';
import { executionNameProblem, ExecutionStore } from '../../execution-history/execution-store.js';
import { ProgressDisplay } from '../../pipeline-runner/progress.js';
import { summarizeRun, type RunSummary } from '../../pipeline-runner/run-summary.js';
import { runFacts } from '../../pipeline-runner/run-facts.js';
import { assertXgboostInstalled, MissingDependencyError } from '../../pipeline-runner/xgboost-check.js';
import type { DeepPartial, DeployTarget, PipelineConfig } from '../../../workflow/config.js';
import { printRunSummary } from '../run-report.js';
import { servedInvocationsUrl } from '../serve-address.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { deployTargetOption, noPositionals, parseOptions } from '../parse-options.js';

export const summary = 'run the whole pipeline locally (generated data by default)';
export const usage = `usage: pricesense run [--input FILE | --execution-input FILE] [--rows N] [--seed S] [--label-noise P]
                      [--config FILE] [--deploy-target endpoint|eks|none] [--tuning] [--execution-name NAME] [--state-dir DIR] [--json] [--no-iam]

  --input FILE            put FILE into the local raw zone and start as the console would ({bucket, key})
  --execution-input FILE  start with exactly this JSON as execution input (e.g. an EventBridge S3 event)
  --rows N                rows of generated data when neither input is given (default 200000)
  --seed S                generator seed (default 42)
  --label-noise P         share of label noise in generated data, 0..1 (default 0.05)
${CONFIG_USAGE}
  --tuning                hyperparameter tuning instead of one training job (config training.tuning.enabled)
  --state-dir DIR         local state (default .pricesense, or $PRICESENSE_STATE_DIR)
  --json                  print one JSON summary object on the last line of stdout
  --no-iam                do not authorize calls against the template's IAM roles and policies
                          (on by default: a call AWS would deny fails as on AWS)`;

export const DEFAULT_ROWS = 200_000;
export const DEFAULT_SEED = 42;
export const DEFAULT_LABEL_NOISE = 0.05;

interface RunArguments {
  inputFile?: string;
  executionInputFile?: string;
  rows: number;
  seed: number;
  labelNoise: number;
  deployTarget?: DeployTarget;
  configFile?: string;
  /** Turn training.tuning on over the config. */
  tuning: boolean;
  executionName?: string;
  stateDir: string;
  json: boolean;
  /** Authorize every call against the template's IAM policies (`--no-iam` turns it off). */
  iam: boolean;
}

function parseNumber(name: string, text: string | undefined, fallback: number, check: (n: number) => boolean, expected: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${name} must be ${expected}, got ${JSON.stringify(text)}`);
  return value;
}

export function parseRunArguments(argv: string[]): RunArguments {
  const { values, positionals } = parseOptions(argv, {
        input: { type: 'string' },
        'execution-input': { type: 'string' },
        rows: { type: 'string' },
        seed: { type: 'string' },
        'label-noise': { type: 'string' },
        'deploy-target': { type: 'string' },
        config: { type: 'string' },
        'execution-name': { type: 'string' },
        'state-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-iam': { type: 'boolean', default: false },
        tuning: { type: 'boolean', default: false },
      });
  noPositionals(positionals);
  if (values.input !== undefined && values['execution-input'] !== undefined) {
    throw new UsageError('--input and --execution-input cannot be combined: give a data file or an execution input, not both');
  }
  const generating = values.input === undefined && values['execution-input'] === undefined;
  for (const flag of ['rows', 'seed', 'label-noise'] as const) {
    if (!generating && values[flag] !== undefined) throw new UsageError(`--${flag} only applies to generated data; it cannot be used with --input or --execution-input`);
  }
  const deployTarget = deployTargetOption(values['deploy-target']);
  const executionName = values['execution-name'];
  const nameProblem = executionName === undefined ? undefined : executionNameProblem(executionName);
  if (nameProblem) throw new UsageError(`--execution-name: ${nameProblem}`);
  return {
    ...(values.input !== undefined ? { inputFile: values.input } : {}),
    ...(values['execution-input'] !== undefined ? { executionInputFile: values['execution-input'] } : {}),
    rows: parseNumber('rows', values.rows, DEFAULT_ROWS, (n) => Number.isInteger(n) && n >= 1 && n <= 100_000_000, 'a whole number of rows from 1 to 100000000'),
    seed: parseNumber('seed', values.seed, DEFAULT_SEED, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'a whole number from 0 to 4294967295'),
    labelNoise: parseNumber('label-noise', values['label-noise'], DEFAULT_LABEL_NOISE, (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    ...(deployTarget !== undefined ? { deployTarget } : {}),
    ...(values.config !== undefined ? { configFile: values.config } : {}),
    tuning: values.tuning ?? false,
    ...(executionName !== undefined ? { executionName } : {}),
    stateDir: resolveStateDir(values['state-dir']),
    json: values.json ?? false,
    iam: !(values['no-iam'] ?? false),
  };
}

async function readExecutionInput(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--execution-input ${file} cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--execution-input ${file} is not JSON: ${(error as Error).message}`);
  }
}

/** Puts a user's file into the local raw zone, as uploading it to the raw bucket would. */
async function stageInputFile(pipeline: LocalPipeline, file: string, log: (line: string) => void): Promise<{ bucket: string; key: string }> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`--input ${file} is not a readable file`);
  const staged = await stageFileInRawZone(pipeline.stateDir, pipeline.rawBucket, file);
  if (staged.renamedFrom) log(`${staged.renamedFrom} already holds different data (an earlier run's input); staged this file as ${staged.key}`);
  return { bucket: staged.bucket, key: staged.key };
}

async function generateInput(pipeline: LocalPipeline, args: RunArguments, log: (line: string) => void): Promise<{ bucket: string; key: string }> {
  const started = Date.now();
  const generated = await generateIntoRawZone(pipeline.stateDir, pipeline.rawBucket, { rows: args.rows, seed: args.seed, labelNoise: args.labelNoise });
  const what = `${args.rows.toLocaleString('en-US')} rows (seed ${args.seed}, label noise ${args.labelNoise})`;
  const how = generated.reused ? 'Reusing the generated' : `Generated in ${((Date.now() - started) / 1000).toFixed(1)} s:`;
  log(`${how} ${what}; Bayes-optimal accuracy ${generated.manifest.bayesOptimalAccuracy.toFixed(3)}`);
  return { bucket: generated.bucket, key: generated.key };
}

function inputLocation(input: unknown): { bucket: string; key: string } | null {
  if (input && typeof input === 'object') {
    const record = input as { bucket?: unknown; key?: unknown; detail?: { bucket?: { name?: unknown }; object?: { key?: unknown } } };
    if (typeof record.bucket === 'string' && typeof record.key === 'string') return { bucket: record.bucket, key: record.key };
    const bucket = record.detail?.bucket?.name;
    const key = record.detail?.object?.key;
    if (typeof bucket === 'string' && typeof key === 'string') return { bucket, key };
  }
  return null;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseRunArguments(argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    assertXgboostInstalled();
  } catch (error) {
    if (error instanceof MissingDependencyError) {
      log(error.message);
      return ExitCode.Failed;
    }
    throw error;
  }
  if (args.executionName && new ExecutionStore(args.stateDir).exists(args.executionName)) {
    throw new UsageError(`--execution-name ${args.executionName} is already used in ${args.stateDir}; names are unique (\`pricesense redrive ${args.executionName}\` continues a failed run)`);
  }
  const configured: DeepPartial<PipelineConfig> = commandConfig({ config: args.configFile, 'deploy-target': args.deployTarget });
  const overrides: DeepPartial<PipelineConfig> = args.tuning
    ? { ...configured, training: { ...configured.training, tuning: { ...configured.training?.tuning, enabled: true } } }
    : configured;
  const opened = Date.now();
  log(`Synthesizing the CDK app and opening the local backend (state: ${args.stateDir})…`);
  const pipeline = await openLocalPipeline({ stateDir: args.stateDir, config: overrides, iam: args.iam, onWarning: (message) => log(`warning: ${message}`) });
  log(`Ready in ${((Date.now() - opened) / 1000).toFixed(1)} s`);

  let executionInput: unknown;
  if (args.executionInputFile) executionInput = await readExecutionInput(args.executionInputFile);
  else if (args.inputFile) executionInput = await stageInputFile(pipeline, args.inputFile, log);
  else executionInput = await generateInput(pipeline, args, log);

  const progress = new ProgressDisplay();
  const executionName = args.executionName ?? newExecutionName();
  const stop = abortOnSignals((signal) => {
    progress.stop();
    log(`\n${signal}: stopping execution ${executionName} (ExecutionAborted) and its running jobs…`);
  });
  progress.start();
  let result;
  try {
    result = await startLocalExecution(pipeline, {
      input: executionInput,
      executionName,
      onEvent: (event) => progress.onEvent(event),
      signal: stop.signal,
    });
  } finally {
    progress.stop();
    stop.dispose();
  }
  if (result.status === 'ABORTED') {
    for (const job of await stopRunningJobs(pipeline.localAws)) log(`  stopped ${job}`);
  }

  const facts = await runFacts(pipeline, result, { invocationsUrl: servedInvocationsUrl() });
  const report: RunSummary = summarizeRun(result.history as never, {
    executionName: result.name,
    status: result.status,
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    input: inputLocation(executionInput),
    historyPath: pipeline.executions.historyPath(result.name),
    ...facts,
  });
  if (report.eksDeployment) report.eksDeployment.cluster = pipeline.config.eks.clusterName;
  const iam = pipeline.iam?.stats;
  log(
    iam
      ? `IAM: calls authorized against the template's policies (${iam.simulations} simulations, ${iam.diskHits} decisions from earlier runs, ${iam.cacheHits} repeats, ${Math.round(iam.simulationMs)} ms simulating, ${iam.denials} denied)`
      : 'IAM: not enforced (--no-iam)',
  );
  printRunSummary(report, { json: args.json, log });
  if (result.status !== 'SUCCEEDED') log(`  continue with  pricesense redrive ${result.name}${args.stateDir === resolveStateDir(undefined) ? '' : ` --state-dir ${args.stateDir}`}`);
  return result.status === 'SUCCEEDED' ? ExitCode.Succeeded : ExitCode.Failed;
}
