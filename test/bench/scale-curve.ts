/**
 * Scale curve of the ETL: rows -> wall seconds and peak RSS of raw -> silver -> gold (the jobs
 * RawToSilver and SilverToGold run locally, with DuckDB's memory bounded by
 * local/etl/duckdb-session.ts etlMemoryLimitBytes and spilling to its temp directory). Each size
 * runs in a fresh child process so its peak RSS is its own; generating the data is not timed.
 * Prints the load average: on a shared machine wall times are only comparable side by side.
 *   npx tsx test/bench/scale-curve.ts [--rows 200000,2670000,26700000] [--repeat 1]
 * PRICESENSE_DUCKDB_MEMORY_MB changes the bound (default min(1 GiB, RAM / 4)).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000,2670000' },
    repeat: { type: 'string', default: '1' },
    child: { type: 'string' },
  },
});

if (values.child) {
  // Child: one ETL run over an existing raw file, then its own wall time and peak RSS.
  const { runRawToSilver } = await import('../../local/etl/raw-to-silver.js');
  const { runSilverToGold } = await import('../../local/etl/silver-to-gold.js');
  const { etlMemoryLimitBytes } = await import('../../local/etl/duckdb-session.js');
  const dir = values.child;
  const started = performance.now();
  await runRawToSilver({ rawPath: join(dir, 'raw.csv'), silverDir: join(dir, 'silver'), runId: 'scale' });
  const silverSeconds = (performance.now() - started) / 1000;
  const gold = await runSilverToGold({ silverDir: join(dir, 'silver'), goldDir: join(dir, 'gold'), runId: 'scale' });
  console.log(
    JSON.stringify({
      wallSeconds: (performance.now() - started) / 1000,
      silverSeconds,
      baskets: gold.baskets,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      memoryLimitMiB: etlMemoryLimitBytes() / 1024 / 1024,
    }),
  );
} else {
  const { generateDataset } = await import('../../local/generator/generate-dataset.js');
  const self = fileURLToPath(import.meta.url);
  console.log('rows        wall s (silver s)  peak RSS MiB  DuckDB limit MiB  load avg');
  for (const rows of values.rows!.split(',').map(Number)) {
    const dir = mkdtempSync(join(tmpdir(), 'pricesense-scale-'));
    try {
      await generateDataset({ rows, seed: 1, out: join(dir, 'raw.csv'), weeks: Math.max(4, Math.ceil(rows / 2_670_000)) });
      for (let run = 0; run < Number(values.repeat); run++) {
        const load = loadavg()[0]!.toFixed(1);
        const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', dir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
        if (child.status !== 0) throw new Error(`rows ${rows}: child failed: ${child.stderr.slice(-2000)}`);
        const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { wallSeconds: number; silverSeconds: number; peakRssMiB: number; memoryLimitMiB: number };
        console.log(
          `${String(rows).padEnd(11)} ${result.wallSeconds.toFixed(1).padStart(6)} (${result.silverSeconds.toFixed(1)})`.padEnd(30) +
            `${result.peakRssMiB.toFixed(0).padStart(12)}  ${result.memoryLimitMiB.toFixed(0).padStart(16)}  ${load}`,
        );
        rmSync(join(dir, 'silver'), { recursive: true, force: true });
        rmSync(join(dir, 'gold'), { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
