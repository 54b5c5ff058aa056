/**
 * RawToSilver step by step (issue 15): wall and CPU seconds of each step of the local Glue job
 * (local/etl/raw-to-silver.ts: typed_lines to its scratch Parquet, the partitioned silver COPY with
 * valid_lines and silver_lines inside it, silver_stats), the whole job, and the peak RSS. Each run
 * is a fresh child process, so its peak RSS is its own; medians over --repeat runs. CPU is
 * process CPU (user + sys, DuckDB's threads included): on a shared machine it moves much less
 * than wall, which also depends on the load average printed beside it.
 *   npx tsx test/bench/raw-to-silver-steps.ts --input FILE.csv [--repeat 3]
 *   npx tsx test/bench/raw-to-silver-steps.ts --rows 2670000 [--repeat 3]   (generates seed 9 once)
 * PRICESENSE_DUCKDB_MEMORY_MB changes DuckDB's memory bound (default min(1 GiB, RAM / 4)).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    input: { type: 'string' },
    rows: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    child: { type: 'string' },
  },
});

interface RunFigures {
  steps: Record<string, { wallMs: number; cpuMs: number }>;
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
  load: number;
  rowsOut: number;
}

async function child(rawPath: string): Promise<void> {
  const { runRawToSilver } = await import('../../local/etl/raw-to-silver.js');
  const dir = mkdtempSync(join(tmpdir(), 'pricesense-bench-r2s-'));
  try {
    const steps: RunFigures['steps'] = {};
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const stats = await runRawToSilver({
      rawPath,
      silverDir: join(dir, 'silver'),
      runId: 'bench',
      onStepTimed: (step, wallMs, cpuMs) => (steps[step] = { wallMs, cpuMs }),
    });
    const cpu = process.cpuUsage(cpuBefore);
    const figures: RunFigures = {
      steps,
      wallMs: performance.now() - started,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      load: loadavg()[0]!,
      rowsOut: stats.rowsOut,
    };
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const seconds = (ms: number) => (ms / 1000).toFixed(2).padStart(7);

async function main(): Promise<void> {
  let rawPath = values.input;
  let dataDir: string | undefined;
  if (!rawPath) {
    if (!values.rows) throw new Error('give --input FILE.csv or --rows N (N rows generated with seed 9)');
    dataDir = mkdtempSync(join(tmpdir(), 'pricesense-bench-r2s-data-'));
    rawPath = join(dataDir, 'raw.csv');
    const { generateDataset } = await import('../../local/generator/generate-dataset.js');
    await generateDataset({ rows: Number(values.rows), seed: 9, out: rawPath, weeks: Math.max(4, Math.ceil(Number(values.rows) / 2_670_000)) });
  }
  try {
    const self = fileURLToPath(import.meta.url);
    const runs: RunFigures[] = [];
    for (let run = 0; run < Number(values.repeat); run++) {
      const loadBefore = loadavg()[0]!;
      const result = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', rawPath], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`run ${run + 1} failed: ${result.stderr.slice(-2000)}`);
      const figures = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as RunFigures;
      figures.load = Math.max(figures.load, loadBefore);
      runs.push(figures);
      console.log(`run ${run + 1}: ${seconds(figures.wallMs)} s wall, ${seconds(figures.cpuMs)} s CPU, peak RSS ${figures.peakRssMiB.toFixed(0)} MiB, load ${figures.load.toFixed(1)}`);
    }
    console.log(`\n${rawPath}: ${runs[0]!.rowsOut.toLocaleString('en')} silver rows; medians of ${runs.length} runs (load average ${runs.map((r) => r.load.toFixed(1)).join(', ')})`);
    console.log('step                                    wall s    CPU s');
    for (const step of Object.keys(runs[0]!.steps)) {
      console.log(`${step.padEnd(36)} ${seconds(median(runs.map((r) => r.steps[step]!.wallMs)))}  ${seconds(median(runs.map((r) => r.steps[step]!.cpuMs)))}`);
    }
    console.log(`${'whole job'.padEnd(36)} ${seconds(median(runs.map((r) => r.wallMs)))}  ${seconds(median(runs.map((r) => r.cpuMs)))}`);
    console.log(`peak RSS ${median(runs.map((r) => r.peakRssMiB)).toFixed(0)} MiB (median)`);
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (values.child) await child(values.child);
else await main();
