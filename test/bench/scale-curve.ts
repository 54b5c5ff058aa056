/**
 * Scale curve: rows -> wall seconds and peak RSS, for a list of sizes. Generating the data is not
 * timed (generated once per size, seed 9). Two modes:
 *   --mode etl (default)  raw -> silver -> gold only (the jobs RawToSilver and SilverToGold run
 *                         locally, DuckDB's memory bounded by local/etl/duckdb-session.ts
 *                         etlMemoryLimitBytes and spilling to its temp directory), each size in a
 *                         fresh child process so its peak RSS is its own.
 *   --mode run            `pricesense run --input <file> --deploy-target none --json` end to end:
 *                         the process tree's memory is sampled from /proc every 200 ms (Linux), so
 *                         the xgboost children count too: the node process's peak, the largest
 *                         child's peak and the tree's summed peak; plus the slowest states.
 * Prints the load average: on a shared machine wall times are only comparable side by side.
 *   npx tsx test/bench/scale-curve.ts [--mode etl|run] [--rows 200000,2670000,26700000] [--repeat 1] [--keep-data DIR]
 * PRICESENSE_DUCKDB_MEMORY_MB changes the bound (default min(1 GiB, RAM / 4)).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'etl' },
    rows: { type: 'string', default: '200000,2670000' },
    repeat: { type: 'string', default: '1' },
    'keep-data': { type: 'string' },
    child: { type: 'string' },
  },
});

const MIB = 1024 * 1024;
const PAGE_KIB = 4;

/** Resident KiB and command name of every live process, and each one's parent (from /proc). */
function processTable(): Map<number, { parent: number; rssKiB: number; name: string }> {
  const table = new Map<number, { parent: number; rssKiB: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      table.set(Number(entry), { parent: Number(fields[1]), rssKiB: Number(fields[21]) * PAGE_KIB, name });
    } catch {
      // gone between readdir and read
    }
  }
  return table;
}

interface TreePeak {
  treeMiB: number;
  rootMiB: number;
  childMiB: number;
  childName: string;
}

/** Samples the memory of `root` and its descendants until `done` resolves. */
async function sampleTree(root: number, done: Promise<unknown>): Promise<TreePeak> {
  const peak: TreePeak = { treeMiB: 0, rootMiB: 0, childMiB: 0, childName: '' };
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const table = processTable();
    const inTree = new Set([root]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, info] of table) if (!inTree.has(pid) && inTree.has(info.parent)) grew = inTree.add(pid) !== undefined;
    }
    let sum = 0;
    for (const pid of inTree) {
      const info = table.get(pid);
      if (!info) continue;
      const mib = info.rssKiB / 1024;
      sum += mib;
      if (pid === root) peak.rootMiB = Math.max(peak.rootMiB, mib);
      else if (mib > peak.childMiB) Object.assign(peak, { childMiB: mib, childName: info.name });
    }
    peak.treeMiB = Math.max(peak.treeMiB, sum);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return peak;
}

async function generated(dataDir: string, rows: number): Promise<string> {
  const path = join(dataDir, `raw-${rows}-seed9.csv`);
  if (existsSync(path) && existsSync(`${path}.manifest.json`)) return path;
  const { generateDataset } = await import('../../local/generator/generate-dataset.js');
  await generateDataset({ rows, seed: 9, out: path, weeks: Math.max(4, Math.ceil(rows / 2_670_000)) });
  return path;
}

async function etlChild(rawPath: string): Promise<void> {
  // Child: one ETL run over an existing raw file, then its own wall time and peak RSS.
  const { runRawToSilver } = await import('../../local/etl/raw-to-silver.js');
  const { runSilverToGold } = await import('../../local/etl/silver-to-gold.js');
  const { etlMemoryLimitBytes } = await import('../../local/etl/duckdb-session.js');
  const dir = mkdtempSync(join(tmpdir(), 'pricesense-scale-etl-'));
  try {
    const started = performance.now();
    await runRawToSilver({ rawPath, silverDir: join(dir, 'silver'), runId: 'scale' });
    const silverSeconds = (performance.now() - started) / 1000;
    const gold = await runSilverToGold({ silverDir: join(dir, 'silver'), goldDir: join(dir, 'gold'), runId: 'scale' });
    console.log(
      JSON.stringify({
        wallSeconds: (performance.now() - started) / 1000,
        silverSeconds,
        baskets: gold.baskets,
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
        memoryLimitMiB: etlMemoryLimitBytes() / MIB,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function etlRun(self: string, rows: number, rawPath: string, load: string): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', rawPath], { encoding: 'utf8', maxBuffer: 16 * MIB });
  if (child.status !== 0) throw new Error(`rows ${rows}: child failed: ${child.stderr.slice(-2000)}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { wallSeconds: number; silverSeconds: number; peakRssMiB: number; memoryLimitMiB: number };
  console.log(
    `${String(rows).padEnd(11)} ${result.wallSeconds.toFixed(1).padStart(6)} (${result.silverSeconds.toFixed(1)})`.padEnd(30) +
      `${result.peakRssMiB.toFixed(0).padStart(12)}  ${result.memoryLimitMiB.toFixed(0).padStart(16)}  ${load}`,
  );
}

async function pipelineRun(rows: number, rawPath: string, load: string): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-scale-run-'));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/pricesense.mjs', 'run', '--input', rawPath, '--deploy-target', 'none', '--state-dir', stateDir, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const peak = await sampleTree(child.pid!, exited);
    const status = await exited;
    const wall = (performance.now() - started) / 1000;
    const report = (() => {
      try {
        return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { status: string; stateDurationsMs: Record<string, number>; metrics: { accuracy: number; macroF1: number } | null };
      } catch {
        throw new Error(`rows ${rows}: pricesense run exited ${status} without a JSON summary:\n${stderr.slice(-2000)}`);
      }
    })();
    const slowest = Object.entries(report.stateDurationsMs)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([state, ms]) => `${state} ${(ms / 1000).toFixed(1)}`)
      .join(', ');
    console.log(
      `${String(rows).padEnd(11)} ${wall.toFixed(1).padStart(7)}  ${peak.rootMiB.toFixed(0).padStart(8)}  ${`${peak.childMiB.toFixed(0)} (${peak.childName})`.padStart(16)}  ${peak.treeMiB.toFixed(0).padStart(8)}  ${load.padStart(5)}  ${report.status} acc ${report.metrics?.accuracy.toFixed(4)} | ${slowest}`,
    );
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (values.child) {
  await etlChild(values.child);
} else {
  if (values.mode !== 'etl' && values.mode !== 'run') throw new Error(`--mode must be etl or run, got ${values.mode}`);
  const self = fileURLToPath(import.meta.url);
  const dataDir = values['keep-data'] ?? mkdtempSync(join(tmpdir(), 'pricesense-scale-'));
  mkdirSync(dataDir, { recursive: true });
  if (values.mode === 'etl') console.log('rows        wall s (silver s)  peak RSS MiB  DuckDB limit MiB  load avg');
  else console.log('rows          wall s  node MiB  largest child MiB  tree MiB   load  result | slowest states (s)');
  try {
    for (const rows of values.rows!.split(',').map(Number)) {
      const rawPath = await generated(dataDir, rows);
      for (let run = 0; run < Number(values.repeat); run++) {
        const load = loadavg()[0]!.toFixed(1);
        if (values.mode === 'etl') etlRun(self, rows, rawPath, load);
        else await pipelineRun(rows, rawPath, load);
      }
    }
  } finally {
    if (!values['keep-data']) rmSync(dataDir, { recursive: true, force: true });
  }
}
