/**
 * Local ETL benchmark: raw -> silver -> gold seconds on generated data (default 200,000 and
 * 2,670,000 rows, i.e. one real dunnhumby week). Prints wall and CPU seconds per job and the
 * load average, because the machine may be shared.
 *   npx tsx test/bench/etl.ts [rows ...]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../../local/generator/generate-dataset.js';
import { runRawToSilver } from '../../local/etl/raw-to-silver.js';
import { runSilverToGold } from '../../local/etl/silver-to-gold.js';

const sizes = process.argv.slice(2).map(Number);
const rowCounts = sizes.length > 0 ? sizes : [200_000, 2_670_000];

async function timed<T>(action: () => Promise<T>): Promise<{ result: T; wall: number; cpu: number }> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const result = await action();
  const cpu = process.cpuUsage(cpuBefore);
  return { result, wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

for (const rows of rowCounts) {
  const dir = mkdtempSync(join(tmpdir(), 'pricesense-bench-etl-'));
  try {
    await generateDataset({ rows, seed: 1, out: join(dir, 'raw.csv') });
    const load = loadavg()[0]!.toFixed(1);
    const silver = await timed(() => runRawToSilver({ rawPath: join(dir, 'raw.csv'), silverDir: join(dir, 'silver'), runId: 'bench' }));
    const gold = await timed(() => runSilverToGold({ silverDir: join(dir, 'silver'), goldDir: join(dir, 'gold'), runId: 'bench' }));
    console.log(
      [
        `rows ${rows.toLocaleString('en')} (load average ${load})`,
        `  raw -> silver  ${silver.wall.toFixed(2)} s wall, ${silver.cpu.toFixed(2)} s CPU, ${silver.result.rowsOut.toLocaleString('en')} rows`,
        `  silver -> gold ${gold.wall.toFixed(2)} s wall, ${gold.cpu.toFixed(2)} s CPU, ${gold.result.baskets.toLocaleString('en')} baskets`,
        `  raw -> gold    ${(silver.wall + gold.wall).toFixed(2)} s wall, ${(silver.cpu + gold.cpu).toFixed(2)} s CPU`,
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
