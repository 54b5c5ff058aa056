/**
 * Generator benchmark: rows/s and peak RSS writing 2,670,000 rows (one real week), plain CSV
 * and gzip. Memory must stay flat in the row count, so it also runs 10x fewer rows to compare
 * peak RSS. Prints the load average: the machine may be shared.
 *   npx tsx test/bench/generate.ts [rows]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../../local/generator/generate-dataset.js';

const rows = Number(process.argv[2] ?? 2_670_000);
const dir = mkdtempSync(join(tmpdir(), 'pricesense-bench-gen-'));

async function measure(label: string, count: number, file: string): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await generateDataset({ rows: count, seed: 1, out: join(dir, file) });
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${label.padEnd(10)} ${count.toLocaleString('en')} rows: ${wall.toFixed(2)} s wall (${Math.round(count / wall).toLocaleString('en')} rows/s), ` +
      `${cpuSeconds.toFixed(2)} s CPU (${Math.round(count / cpuSeconds).toLocaleString('en')} rows/CPU-s), ` +
      `${(statSync(join(dir, file)).size / 1e6).toFixed(0)} MB, peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
}

try {
  console.log(`load average ${loadavg()[0]!.toFixed(1)}`);
  await measure('csv small', Math.round(rows / 10), 'small.csv');
  await measure('csv', rows, 'data.csv');
  await measure('csv.gz', rows, 'data.csv.gz');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
