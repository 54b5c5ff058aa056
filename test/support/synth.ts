/**
 * One synthesis per configuration for the whole test run, shared across test files and worker
 * processes: the template is written to `cdk.out/infra-test-cache/<key>.json`, keyed by the
 * configuration and everything synthesis reads (synthesisFingerprint of workflow-test.ts), and
 * the first process to need a key synthesizes it under a lock while the others wait for the file.
 * Every synthesis runs the cdk-nag AwsSolutions checks (it throws on an unacknowledged finding),
 * so the `nag` option is kept for callers but no longer selects a different synthesis.
 * Uses the real glue-scripts/ and tasks/ when they exist; otherwise test fixtures (bundling is
 * skipped, so handler content never matters here).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_GLUE_SCRIPTS_DIR, DEFAULT_TASKS_DIR, REPO_ROOT } from '../../infra/project-paths.js';
import { synthesizePipeline, type SynthesizedPipeline } from '../../infra/synthesize.js';
import { writeFileAtomicSync } from '../../local/state/atomic-write.js';
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';
import { resolveDefinition } from '../../local/template/index.js';
import { synthesisFingerprint } from './workflow-test.js';

const REQUIRED_TASKS = ['validate-input', 'ingest-features', 'evaluate-model', 'start-execution'];
const REQUIRED_GLUE = ['raw_to_silver.py', 'silver_to_gold.py', join('sql', 'data_quality.sql')];
const CACHE_DIR = join(REPO_ROOT, 'cdk.out', 'infra-test-cache');
/** A lock older than this belongs to a process that died mid-synthesis. */
const STALE_LOCK_MS = 5 * 60_000;
const WAIT_STEP_MS = 100;
/** Bump when the cached file's format changes. */
const CACHE_FORMAT = 1;

function glueScriptsDir(): string {
  return REQUIRED_GLUE.every((file) => existsSync(join(DEFAULT_GLUE_SCRIPTS_DIR, file)))
    ? DEFAULT_GLUE_SCRIPTS_DIR
    : join(REPO_ROOT, 'test', 'infra', 'fixtures', 'glue-scripts');
}

function tasksDir(): string {
  if (REQUIRED_TASKS.every((name) => existsSync(join(DEFAULT_TASKS_DIR, `${name}.ts`)))) return DEFAULT_TASKS_DIR;
  const dir = join(REPO_ROOT, 'cdk.out', 'test-task-entries');
  mkdirSync(dir, { recursive: true });
  for (const name of REQUIRED_TASKS) writeFileSync(join(dir, `${name}.ts`), 'export const handler = async () => ({});\n');
  return dir;
}

const memory = new Map<string, SynthesizedPipeline>();
let inputs: { tasksDir: string; glueScriptsDir: string; fingerprint: string } | undefined;

function synthesisInputs(): { tasksDir: string; glueScriptsDir: string; fingerprint: string } {
  if (!inputs) {
    const dirs = { tasksDir: tasksDir(), glueScriptsDir: glueScriptsDir() };
    inputs = { ...dirs, fingerprint: synthesisFingerprint(dirs) };
  }
  return inputs;
}

/** Cache key of a configuration under the current sources. */
export function synthCacheKey(config: DeepPartial<PipelineConfig>): string {
  return createHash('sha256').update(`infra-test ${CACHE_FORMAT}\0${JSON.stringify(config)}\0${synthesisInputs().fingerprint}`).digest('hex').slice(0, 32);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readCached(file: string): SynthesizedPipeline | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SynthesizedPipeline) : undefined;
}

/** Takes the key's lock, or returns false while another live process holds it. */
function tryLock(lockFile: string): boolean {
  try {
    closeSync(openSync(lockFile, 'wx'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(lockFile).mtimeMs > STALE_LOCK_MS) unlinkSync(lockFile);
    } catch {
      // released meanwhile
    }
    return false;
  }
}

function synthesizeShared(config: DeepPartial<PipelineConfig>): SynthesizedPipeline {
  const key = synthCacheKey(config);
  const file = join(CACHE_DIR, `${key}.json`);
  const lockFile = join(CACHE_DIR, `${key}.lock`);
  mkdirSync(CACHE_DIR, { recursive: true });
  for (;;) {
    const cached = readCached(file);
    if (cached) return cached;
    if (tryLock(lockFile)) break;
    sleepSync(WAIT_STEP_MS);
  }
  try {
    // Written by a process that held the lock between our last read and our lock.
    const cached = readCached(file);
    if (cached) return cached;
    const { tasksDir: tasks, glueScriptsDir: glue } = synthesisInputs();
    const synthesized = synthesizePipeline({ config, nag: true, glueScriptsDir: glue, tasksDir: tasks, outdir: join(REPO_ROOT, 'cdk.out', `test-${process.pid}-${key}`) });
    writeFileAtomicSync(file, JSON.stringify(synthesized));
    return synthesized;
  } finally {
    unlinkSync(lockFile);
  }
}

export function synthForTest(config: DeepPartial<PipelineConfig> = {}, _options: { nag?: boolean } = {}): SynthesizedPipeline & { template: Record<string, any> } {
  const key = JSON.stringify(config);
  let synthesized = memory.get(key);
  if (!synthesized) {
    synthesized = synthesizeShared(config);
    memory.set(key, synthesized);
  }
  return { ...synthesized, template: synthesized.templates[synthesized.stackName] as Record<string, any> };
}
export interface AslState {
  Type: string;
  Resource?: string;
  Arguments?: Record<string, any>;
  Retry?: Array<{ ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number; JitterStrategy?: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; Assign?: Record<string, any> }>;
  Choices?: Array<{ Condition: string; Next: string; Assign?: Record<string, any> }>;
  Default?: string;
  Next?: string;
  End?: boolean;
  Error?: string;
  Cause?: string;
  Assign?: Record<string, any>;
  ItemProcessor?: { States: Record<string, AslState>; StartAt: string };
  Branches?: Array<{ States: Record<string, AslState>; StartAt: string }>;
  [key: string]: unknown;
}

export function aslForTest(config: DeepPartial<PipelineConfig> = {}): { StartAt: string; States: Record<string, AslState>; QueryLanguage?: string } {
  const { template, stateMachineLogicalId } = synthForTest(config);
  return resolveDefinition(template, stateMachineLogicalId) as never;
}
