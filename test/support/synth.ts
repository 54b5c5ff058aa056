/**
 * cdk-nag is off unless asked for (test/infra checks it once).
 * One synthesis per test file (≈ several seconds each), cached per configuration. Uses the real
 * glue-scripts/ and tasks/ when they exist; until the ETL and task authors land theirs, it falls
 * back to test fixtures so the template shape can be tested (bundling is skipped, so handler
 * content never matters here).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_GLUE_SCRIPTS_DIR, DEFAULT_TASKS_DIR, REPO_ROOT } from '../../infra/project-paths.js';
import { synthesizePipeline, type SynthesizedPipeline } from '../../infra/synthesize.js';
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';
import { resolveDefinition } from '../../local/template/index.js';

const REQUIRED_TASKS = ['validate-input', 'ingest-features', 'evaluate-model', 'start-execution'];
const REQUIRED_GLUE = ['raw_to_silver.py', 'silver_to_gold.py', join('sql', 'data_quality.sql')];

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

const cache = new Map<string, SynthesizedPipeline>();

export function synthForTest(config: DeepPartial<PipelineConfig> = {}, options: { nag?: boolean } = {}): SynthesizedPipeline & { template: Record<string, any> } {
  const nag = options.nag ?? false;
  const key = JSON.stringify({ config, nag });
  let synthesized = cache.get(key);
  if (!synthesized) {
    synthesized = synthesizePipeline({ config, nag, glueScriptsDir: glueScriptsDir(), tasksDir: tasksDir(), outdir: join(REPO_ROOT, 'cdk.out', `test-${process.pid}-${cache.size}`) });
    cache.set(key, synthesized);
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
  Error?: string;
  Cause?: string;
  Assign?: Record<string, any>;
  ItemProcessor?: { States: Record<string, AslState>; StartAt: string };
  [key: string]: unknown;
}

export function aslForTest(config: DeepPartial<PipelineConfig> = {}): { StartAt: string; States: Record<string, AslState>; QueryLanguage?: string } {
  const { template, stateMachineLogicalId } = synthForTest(config);
  return resolveDefinition(template, stateMachineLogicalId) as never;
}
