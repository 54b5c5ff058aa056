/**
 * Glue's Python runtime, emulated: each Glue script runs under python3 the way a Glue job runs it
 * — the script and its --extra-py-files / --extra-files under the file names the SYNTHESIZED job
 * gives them (the CDK asset object keys), getResolvedOptions fed the job's DefaultArguments merged
 * with the Arguments the state machine passes (taken from a run of the synthesized ASL) — with
 * stand-in awsglue/pyspark/boto3 modules that journal every read, SQL statement, write and put.
 * The journal must equal what the local Glue emulator runs on DuckDB for the same arguments.
 * What this cannot check: Spark itself (SQL semantics and types on Spark), the real Glue
 * container's Python and library versions.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { synthesizePipeline } from '../../infra/synthesize.js';
import { DEFAULT_GLUE_SCRIPTS_DIR, DEFAULT_TASKS_DIR } from '../../infra/project-paths.js';
import { localRunnerFor } from '../../local/aws/glue/job-runners.js';
import { localObjectPath, parseS3Uri } from '../../local/aws/s3-location.js';
import { DuckDbSession } from '../../local/etl/duckdb-session.js';
import { SQL_ROOT } from '../../local/etl/sql-steps.js';
import { generateDataset } from '../../local/generator/generate-dataset.js';
import { GlueJob } from '../../workflow/resource-names.js';
import { pipelineDefinition, runWorkflow } from '../support/workflow-test.js';

const LAUNCHER = join(import.meta.dirname, 'glue-runtime', 'glue_launcher.py');
const MOCK_CONFIG = join(import.meta.dirname, '..', 'fixtures', 'pipeline-mock-config.json');
const INPUT = { bucket: 'pricesense-raw', key: 'raw/transactions.csv' };

type Entry = Record<string, unknown>;
interface GlueJobResource {
  name: string;
  script: string;
  defaultArguments: Record<string, string>;
}
interface FileAsset {
  source: string;
  packaging: 'file' | 'zip';
  objectKey: string;
}

let work: string;
let outdir: string;
let jobs: Map<string, GlueJobResource>;
let assets: FileAsset[];
let runArguments: Map<string, Record<string, string>>;

/** `s3://cdk-…-assets-…/<hash>.py` of a template value (Fn::Join / Fn::Sub of the bootstrap bucket). */
function s3Url(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : `{${JSON.stringify(part)}}`)).join(join[0]);
  const sub = (value as { 'Fn::Sub'?: string })['Fn::Sub'];
  if (sub) return sub;
  throw new Error(`not an S3 URL: ${JSON.stringify(value)}`);
}

function objectKeyOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

/** Places an asset (by the object key the template names) at `target`, the way S3 holds it. */
function placeAsset(objectKey: string, target: string): void {
  const asset = assets.find((candidate) => candidate.objectKey === objectKey);
  if (!asset) throw new Error(`no file asset with object key ${objectKey} in the cloud assembly`);
  if (asset.packaging === 'file') {
    copyFileSync(asset.source, target);
  } else {
    // CDK zips a directory asset's contents at the archive root.
    execFileSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])', target, asset.source]);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'glue-runtime-'));
  outdir = join(work, 'cdk.out');
  const synthesized = synthesizePipeline({ config: {}, nag: false, glueScriptsDir: DEFAULT_GLUE_SCRIPTS_DIR, tasksDir: DEFAULT_TASKS_DIR, outdir });
  const template = synthesized.templates[synthesized.stackName] as { Resources: Record<string, { Type: string; Properties: any }> };
  jobs = new Map();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Glue::Job') continue;
    const args = Object.fromEntries(Object.entries(resource.Properties.DefaultArguments as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? value : s3Url(value)]));
    jobs.set(resource.Properties.Name, { name: resource.Properties.Name, script: s3Url(resource.Properties.Command.ScriptLocation), defaultArguments: args });
  }
  const manifest = JSON.parse(readFileSync(join(outdir, `${synthesized.stackName}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging?: 'file' | 'zip' }; destinations: Record<string, { objectKey: string }> }>;
  };
  assets = Object.values(manifest.files).map((file) => ({
    source: resolve(outdir, file.source.path),
    packaging: file.source.packaging ?? 'file',
    objectKey: Object.values(file.destinations)[0]!.objectKey,
  }));

  const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig: MOCK_CONFIG, testCase: 'HappyPath', input: INPUT, executionName: 'r-2024-0001' });
  runArguments = new Map();
  for (const state of ['RawToSilver', 'SilverToGold']) {
    const [scheduled] = run.taskInputsOf(state) as { JobName: string; Arguments: Record<string, string> }[];
    runArguments.set(scheduled!.JobName, scheduled!.Arguments);
  }
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The job's arguments as Glue passes them to the script: defaults, overridden by the run's, plus --JOB_NAME. */
function jobArguments(job: GlueJobResource): Record<string, string> {
  return { ...job.defaultArguments, ...runArguments.get(job.name), '--JOB_NAME': job.name };
}

function runScriptLikeGlue(job: GlueJobResource, columns: Record<string, string[]> = {}, s3Root?: string): { journal: Entry[]; status: number | null; stderr: string } {
  const dir = mkdtempSync(join(work, `${job.name}-`));
  const script = join(dir, objectKeyOf(job.script));
  placeAsset(objectKeyOf(job.script), script);
  const args = jobArguments(job);
  const staged = join(dir, 'staged');
  mkdirSync(staged);
  const pyFiles = (args['--extra-py-files'] ?? '').split(',').filter(Boolean).map((url) => {
    const target = join(staged, objectKeyOf(url));
    placeAsset(objectKeyOf(url), target);
    return target;
  });
  for (const url of (args['--extra-files'] ?? '').split(',').filter(Boolean)) placeAsset(objectKeyOf(url), join(dir, objectKeyOf(url)));
  const journal = join(dir, 'journal.jsonl');
  const argv = Object.entries(args).flatMap(([key, value]) => [key, value]);
  const result = spawnSync('python3', [LAUNCHER, dir, script, pyFiles.join(','), '--', ...argv], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, TMPDIR: dir, GLUE_STANDIN_JOURNAL: journal, GLUE_STANDIN_COLUMNS: JSON.stringify(columns), PYTHONDONTWRITEBYTECODE: '1', ...(s3Root ? { GLUE_STANDIN_S3_ROOT: s3Root } : {}) },
  });
  const lines = existsSync(journal) ? readFileSync(journal, 'utf8').trim().split('\n').filter(Boolean) : [];
  return { journal: lines.map((line) => JSON.parse(line) as Entry), status: result.status, stderr: result.stderr };
}

const sqlFiles = (): Map<string, string> => {
  const files = new Map<string, string>();
  for (const job of ['raw_to_silver', 'silver_to_gold']) {
    for (const file of readdirSync(join(SQL_ROOT, job))) files.set(readFileSync(join(SQL_ROOT, job, file), 'utf8').trim(), `${job}/${file}`);
  }
  return files;
};

function sqlFileOf(text: string): string {
  return sqlFiles().get(text.trim()) ?? `<SQL not from glue-scripts/sql: ${text.slice(0, 60)}…>`;
}

const dirUri = (uri: string) => (uri.endsWith('/') ? uri : `${uri}/`);

/** Journal of the Python run, in the common form. */
function normalizePython(journal: Entry[]): Entry[] {
  return journal.flatMap((entry): Entry[] => {
    switch (entry.op) {
      case 'read':
        return entry.view ? [{ op: 'read', format: entry.format, uri: dirUri(String(entry.uri)), view: entry.view }] : [];
      case 'sql':
        return entry.view ? [{ op: 'sql', file: sqlFileOf(String(entry.sql)), view: entry.view }] : [];
      case 'write':
        return [{
          op: 'write', format: entry.format, uri: dirUri(String(entry.uri)), view: entry.view, where: entry.where ?? null,
          // Row order across several customer_features files is no contract (ingestion reads every file).
          order: entry.view === 'customer_features' ? null : entry.order ?? null,
          columns: entry.columns ?? null, partitionBy: entry.partitionBy, header: entry.format === 'csv' ? entry.header === 'true' : null,
        }];
      case 'put':
        return [{ op: 'put', uri: entry.uri }];
      default:
        return [];
    }
  });
}

/** What the local Glue emulator ran on DuckDB (its SQL statements and JSON files), in the same form. */
async function duckDbJournal(jobName: string, args: Record<string, string>, stateDir: string): Promise<Entry[]> {
  const statements: string[] = [];
  const spy = vi.spyOn(DuckDbSession.prototype, 'run').mockImplementation(async function (this: DuckDbSession, sql: string) {
    statements.push(sql);
    await this.connection.run(sql);
  });
  try {
    await localRunnerFor(jobName, undefined)!(args, stateDir);
  } finally {
    spy.mockRestore();
  }
  const s3Root = resolve(stateDir, 's3');
  const toUri = (path: string) => `s3://${relative(s3Root, path).split('\\').join('/')}`;
  const outputDir = (path: string) => dirUri(toUri(/\.(parquet|csv)$/.test(path) ? dirname(path) : path));
  const entries: Entry[] = [];
  // How the runner binds steps (local/etl/silver-to-gold-bindings.ts): a step written to a
  // Parquet file (scratch, or an output ordered by a key) and then read back as a view.
  const writtenSteps = new Map<string, { file: string; order: string[] | null; output: boolean }>();
  // Views whose rows come in a known order: read from an ordered file, or a filter of such a view.
  const viewOrder = new Map<string, string[]>();
  let insertionOrderKept = false;
  const inS3 = (path: string) => resolve(path).startsWith(s3Root + sep);
  for (const sql of statements) {
    let match: RegExpExecArray | null;
    if ((match = /^SET preserve_insertion_order = (true|false)$/.exec(sql))) {
      insertionOrderKept = match[1] === 'true';
    } else if ((match = /^CREATE VIEW (\w+) AS SELECT \* FROM read_parquet\('([^']+)'\)$/.exec(sql)) && writtenSteps.has(match[2]!)) {
      const written = writtenSteps.get(match[2]!)!;
      entries.push({ op: 'sql', file: written.file, view: match[1] });
      if (written.output) {
        entries.push({ op: 'write', format: 'parquet', uri: outputDir(match[2]!), view: match[1], where: null, order: written.order, columns: null, partitionBy: [], header: null });
      }
      if (written.order) viewOrder.set(match[1]!, written.order);
    } else if ((match = /^CREATE VIEW (\w+) AS SELECT \* FROM read_(csv|parquet)\('([^']+)'/.exec(sql))) {
      entries.push({ op: 'read', format: match[2], uri: dirUri(toUri(match[3]!.replace(/\/\*\*\/\*\.parquet$/, ''))), view: match[1] });
    } else if ((match = /^COPY \(SELECT \* FROM \(([\s\S]*)\) AS step ORDER BY (\w+)\) TO '([^']+)' \(FORMAT PARQUET\)$/.exec(sql))) {
      // A step written as the job's output, ordered, and read back by the steps after it.
      writtenSteps.set(match[3]!, { file: sqlFileOf(match[1]!), order: [match[2]!], output: inS3(match[3]!) });
    } else if ((match = /^COPY \(([\s\S]*)\) TO '([^']+)' \(FORMAT PARQUET, COMPRESSION UNCOMPRESSED\)$/.exec(sql)) && !inS3(match[2]!)) {
      // A step kept as Parquet in the session's scratch folder: DuckDB's working copy, no output.
      writtenSteps.set(match[2]!, { file: sqlFileOf(match[1]!), order: null, output: false });
    } else if ((match = /^CREATE (?:TEMP TABLE|VIEW) (\w+) AS ([\s\S]*)$/.exec(sql))) {
      // A step bound as a temp table or a view (CREATE OR REPLACE VIEW, raw-to-silver reading its
      // written silver back for the counts, is no step: Spark counts its cached frame).
      entries.push({ op: 'sql', file: sqlFileOf(match[2]!), view: match[1] });
      // A filter of one ordered view keeps its order.
      const source = /\bFROM (\w+)\s*(?:WHERE [^()]*)?$/.exec(match[2]!.replace(/--[^\n]*/g, '').trim());
      if (source && !/\b(JOIN|GROUP BY|OVER)\b/.test(match[2]!) && viewOrder.has(source[1]!)) viewOrder.set(match[1]!, viewOrder.get(source[1]!)!);
    } else if ((match = /^COPY (\w+) TO '([^']+)' \(FORMAT PARQUET(?:, PARTITION_BY \(([^)]*)\))?/.exec(sql))) {
      // Parquet outside the emulated S3 (the session's scratch folder) is DuckDB's working copy, no output.
      if (!inS3(match[2]!)) continue;
      entries.push({ op: 'write', format: 'parquet', uri: outputDir(match[2]!), view: match[1], where: null, order: null, columns: null, partitionBy: match[3] ? match[3].split(/,\s*/) : [], header: null });
    } else if ((match = /^COPY \(SELECT ((?:CAST\([^)]*\) AS \w+(?:, )?)+)\) TO '([^']+)' \(FORMAT PARQUET\)$/.exec(sql))) {
      // A literal row (silver's counts for table silver_stats): written from no view.
      entries.push({ op: 'write', format: 'parquet', uri: outputDir(match[2]!), view: null, where: null, order: null, columns: null, partitionBy: [], header: null });
    } else if ((match = /^COPY \(SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (.+?))?( LIMIT \d+ OFFSET \d+)?\) TO '([^']+)' \(FORMAT (\w+)(?:, HEADER (\w+))?\)$/.exec(sql))) {
      const [, columns, view, where, order, limit, path, format, header] = match;
      // A CSV in the scratch folder is cut into the files of gold/<name>/ (local/etl/split-csv-rows.ts).
      const uri = inS3(path!) ? outputDir(path!) : dirUri(`${args['--gold_uri']!}${basename(path!, '.csv')}`);
      const rowOrder = order ? order.split(/,\s*/) : insertionOrderKept ? viewOrder.get(view!) ?? null : null;
      entries.push({
        op: 'write', format: format!.toLowerCase(), uri, view, where: where ?? null,
        // Row order across several customer_features files is no contract (ingestion reads every file).
        order: limit || view === 'customer_features' ? null : rowOrder, columns: columns === '*' ? null : columns!.split(/,\s*/), partitionBy: [],
        header: format === 'CSV' ? header === 'true' : null,
      });
    }
  }
  const outputs = Object.entries(args).filter(([key, value]) => key !== '--raw_uri' && value.startsWith('s3://'));
  for (const [, uri] of outputs) {
    const { bucket, key } = parseS3Uri(uri);
    const root = localObjectPath(stateDir, bucket, key);
    if (!existsSync(root) || !statSync(root).isDirectory()) continue;
    for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (file.endsWith('.json') && !(jobName === GlueJob.SilverToGold && uri === args['--silver_uri'])) entries.push({ op: 'put', uri: toUri(join(root, file)) });
    }
  }
  return entries;
}

/** Writes and puts compare as sets (Spark writes in any order of actions); reads and SQL in order. */
function comparable(entries: Entry[]): { steps: Entry[]; outputs: string[] } {
  return {
    steps: entries.filter((entry) => entry.op === 'read' || entry.op === 'sql'),
    outputs: [...new Set(entries.filter((entry) => entry.op === 'write' || entry.op === 'put').map((entry) => JSON.stringify(entry, Object.keys(entry).sort())))].sort(),
  };
}

describe("Glue's Python runtime, emulated from the synthesized jobs", () => {
  let stateDir: string;
  const localJournals = new Map<string, Entry[]>();

  beforeAll(async () => {
    stateDir = join(work, 'state');
    const rawPath = localObjectPath(stateDir, INPUT.bucket, INPUT.key);
    mkdirSync(dirname(rawPath), { recursive: true });
    await generateDataset({ rows: 3000, seed: 21, out: rawPath });
    // Silver-to-gold reads what raw-to-silver wrote: run the emulator in pipeline order once.
    for (const jobName of [GlueJob.RawToSilver, GlueJob.SilverToGold]) localJournals.set(jobName, await duckDbJournal(jobName, jobArguments(jobs.get(jobName)!), stateDir));
  }, 180_000);

  it('ships sql_steps so that the scripts can import it under its own name', () => {
    for (const job of jobs.values()) {
      const urls = (job.defaultArguments['--extra-py-files'] ?? '').split(',').filter(Boolean);
      // A .py asset arrives as <hash>.py: `import sql_steps` fails on Glue (aws/aws-cdk#20481).
      expect(urls.map((url) => objectKeyOf(url).replace(/^[0-9a-f]{64}/, '<hash>'))).toEqual(['<hash>.zip']);
    }
  });

  it.each([GlueJob.RawToSilver, GlueJob.SilverToGold])('%s: the script journal equals what the local Glue emulator runs on DuckDB', async (jobName) => {
    const job = jobs.get(jobName)!;
    expect(job, `synthesized Glue job ${jobName}`).toBeDefined();
    const args = jobArguments(job);

    const local = localJournals.get(jobName)!;
    const features = JSON.parse(
      jobName === GlueJob.SilverToGold ? readFileSync(localObjectPath(stateDir, parseS3Uri(args['--gold_uri']!).bucket, `${parseS3Uri(args['--gold_uri']!).key}serving/feature_list.json`), 'utf8') : '[]',
    ) as string[];
    const python = runScriptLikeGlue(job, { model_matrix: ['basket_id', 'split', 'label', ...features] }, resolve(stateDir, 's3'));

    expect(python.stderr).not.toMatch(/Traceback|Error/);
    expect(python.status).toBe(0);
    expect(python.journal[0]).toEqual({ op: 'job.init', name: jobName });
    expect(python.journal.at(-1)).toEqual({ op: 'job.commit' });
    expect(local.filter((entry) => entry.op === 'sql').length).toBeGreaterThanOrEqual(3);
    expect(comparable(normalizePython(python.journal))).toEqual(comparable(local));
  }, 180_000);

  it('fails the script as Glue would when the state machine omits an argument the script requires', () => {
    const job = jobs.get(GlueJob.RawToSilver)!;
    const saved = runArguments.get(job.name)!;
    const { ['--raw_uri']: _omitted, ...rest } = saved;
    runArguments.set(job.name, rest);
    try {
      const python = runScriptLikeGlue(job);
      expect(python.status).toBe(2);
      expect(python.stderr).toContain('the following arguments are required: --raw_uri');
    } finally {
      runArguments.set(job.name, saved);
    }
  });
});
