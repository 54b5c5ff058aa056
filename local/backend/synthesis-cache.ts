/**
 * Synthesizing the CDK app costs seconds (mostly loading aws-cdk-lib); its result only changes
 * when something synthesis reads changes. This caches the templates on disk, keyed by the config
 * overrides and a fingerprint of every input, so `pricesense run`, `watch`, `asl` and the tests
 * synthesize once per change instead of once per command.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import { DEFAULT_GLUE_SCRIPTS_DIR, DEFAULT_TASKS_DIR, REPO_ROOT } from '../../infra/project-paths.js';
import type { SynthesizedPipeline } from '../../infra/synthesize.js';
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';
import { writeFileAtomicSync } from '../state/atomic-write.js';

/** Entry points whose import graph is everything TypeScript that synthesis and resolution run. */
const SYNTHESIS_ENTRIES = ['infra/synthesize.ts', 'local/template/index.ts'];
/** Environment the in-process CDK App reads (region, context). */
const SYNTHESIS_ENV = ['CDK_DEFAULT_REGION', 'CDK_DEFAULT_ACCOUNT', 'CDK_CONTEXT_JSON', 'CDK_CONTEXT_FILE'];
/** Bump when the cached file's format changes. */
const CACHE_FORMAT = 4;
/** Where tests and commands share one cache when set (CI: one synth per config for the whole suite). */
export const SYNTH_CACHE_ENV = 'PRICESENSE_SYNTH_CACHE';
/**
 * By default one cache per checkout, where tools keep theirs (node_modules/.cache): every state
 * directory reuses it, and `npm ci` starts it afresh.
 */
export const DEFAULT_SYNTH_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'pricesense', 'synth');

export interface SynthesisInputs {
  tasksDir: string;
  glueScriptsDir: string;
}

function hashFilesUnder(hash: ReturnType<typeof createHash>, dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) hashFilesUnder(hash, path);
    else hash.update(relative(REPO_ROOT, path)).update('\0').update(readFileSync(path));
  }
}

/** Remembers the import graph between processes: asking esbuild for it costs ~0.1 s per start. */
export const SYNTHESIS_SOURCES_MEMO = join(REPO_ROOT, 'node_modules', '.cache', 'pricesense', 'synthesis-sources.json');

interface SourcesMemo {
  format: number;
  inputs: string[];
  digest: string;
}

/** One hash of every file's path and content, in the order given. */
function sourcesDigest(inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) hash.update(input).update('\0').update(readFileSync(join(REPO_ROOT, input))).update('\0');
  return hash.digest('hex');
}

/**
 * The TypeScript files synthesis imports (relative to the repo, sorted) and a digest of their
 * content. The import graph is a function of those contents, so when every remembered file still
 * has the content it had, the remembered graph is the graph: esbuild only runs after an edit.
 * (As for the CLI bundle, a new file that changes how an unchanged import resolves is not seen.)
 */
export function synthesisSources(memoFile = SYNTHESIS_SOURCES_MEMO): { inputs: string[]; digest: string; reused: boolean } {
  try {
    const memo = JSON.parse(readFileSync(memoFile, 'utf8')) as SourcesMemo;
    if (memo.format === CACHE_FORMAT && Array.isArray(memo.inputs) && sourcesDigest(memo.inputs) === memo.digest) {
      return { inputs: memo.inputs, digest: memo.digest, reused: true };
    }
  } catch {
    // No memo, or a remembered file is gone: ask esbuild.
  }
  const buildStarted = Date.now();
  const { metafile } = buildSync({
    entryPoints: SYNTHESIS_ENTRIES.map((entry) => join(REPO_ROOT, entry)),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
    outdir: join(REPO_ROOT, 'cdk.out', 'synthesis-fingerprint'),
  });
  const inputs = Object.keys(metafile.inputs).sort();
  const digest = sourcesDigest(inputs);
  // A file saved while esbuild read the graph may have changed its imports after the read: such a
  // graph is used this once, never remembered (mtimes can be coarse: a second of margin).
  const savedDuringBuild = inputs.some((input) => statSync(join(REPO_ROOT, input)).mtimeMs >= buildStarted - 1000);
  try {
    if (!savedDuringBuild) writeFileAtomicSync(memoFile, JSON.stringify({ format: CACHE_FORMAT, inputs, digest } satisfies SourcesMemo));
  } catch {
    // Not writable: esbuild runs again next time.
  }
  return { inputs, digest, reused: false };
}

/**
 * Everything synthesis reads: the TypeScript it imports (found by esbuild, so a new import is
 * covered without a list to keep), the Glue scripts and SQL it embeds, which task entries exist
 * (bundling is skipped: only their presence matters), the CDK library version and the
 * environment the App reads.
 */
export function synthesisFingerprint(inputs: SynthesisInputs = { tasksDir: DEFAULT_TASKS_DIR, glueScriptsDir: DEFAULT_GLUE_SCRIPTS_DIR }): string {
  const hash = createHash('sha256').update(`format ${CACHE_FORMAT}\0`);
  hash.update(`sources\0${synthesisSources().digest}\0`);
  hash.update('glue\0');
  hashFilesUnder(hash, inputs.glueScriptsDir);
  hash.update(`tasks\0${relative(REPO_ROOT, inputs.tasksDir)}\0${readdirSync(inputs.tasksDir).filter((name) => name.endsWith('.ts')).sort().join(',')}\0`);
  for (const name of ['aws-cdk-lib', 'constructs', 'cdk-nag']) {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
    hash.update(`${name}@${version}\0`);
  }
  for (const name of SYNTHESIS_ENV) hash.update(`${name}=${process.env[name] ?? ''}\0`);
  return hash.digest('hex');
}

/**
 * The synthesized pipeline for these config overrides, from the cache when nothing synthesis
 * reads has changed. Synthesis itself is imported lazily: a cache hit never loads aws-cdk-lib.
 */
let fingerprint: { environment: string; value: string } | undefined;

export async function cachedSynthesis(config: DeepPartial<PipelineConfig>, cacheDir = DEFAULT_SYNTH_CACHE_DIR): Promise<SynthesizedPipeline> {
  const directory = process.env[SYNTH_CACHE_ENV] ?? cacheDir;
  // One fingerprint per process: a command that tries several configurations (replay) pays once.
  // (The environment synthesis reads is part of the memo key: a test that changes it is seen.)
  const environment = SYNTHESIS_ENV.map((name) => `${name}=${process.env[name] ?? ''}`).join('\0');
  if (fingerprint?.environment !== environment) fingerprint = { environment, value: synthesisFingerprint() };
  const key = createHash('sha256').update(JSON.stringify(config)).update(fingerprint.value).digest('hex').slice(0, 32);
  const file = join(directory, `${key}.json`);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as SynthesizedPipeline;
    } catch {
      // unreadable (e.g. a disk full mid-write before atomic writes): synthesize again
    }
  }
  const { synthesizePipeline } = await import('../../infra/synthesize.js');
  // The cloud assembly is only a by-product here (the templates are kept in the cache file).
  const outdir = join(directory, `cdk.out-${process.pid}-${key}`);
  try {
    const synthesized = synthesizePipeline({ config, outdir });
    mkdirSync(directory, { recursive: true });
    writeFileAtomicSync(file, JSON.stringify(synthesized));
    return synthesized;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
