/**
 * SilverToGold alone: wall, CPU (user + sys, DuckDB's threads included) and peak RSS of the job on
 * one silver folder, each run in a fresh child process (so its peak is its own), as medians of
 * --repeat runs with the load average before and after. --root runs the job of another checkout
 * (e.g. /work/main) on the same silver, interleaved with this one's, for a before/after figure.
 *   npx tsx test/bench/silver-to-gold.ts --silver DIR [--repeat 3] [--root OTHER_CHECKOUT] [--keep-gold DIR]
 *   npx tsx test/bench/silver-to-gold.ts --rows 2670000        (generates seed 9 data, runs raw -> silver once, untimed)
 * Compare the gold of two runs with test/bench/gold-compare.ts (--keep-gold keeps each run's gold).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    silver: { type: 'string' },
    rows: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    root: { type: 'string' },
    'keep-gold': { type: 'string' },
    child: { type: 'string' },
    gold: { type: 'string' },
  },
});

const self = fileURLToPath(import.meta.url);
const thisRoot = resolve(self, '../../..');

interface RunFigures {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

if (values.child) {
  // Child: one run of the job of checkout --child on --silver into --gold.
  const module = (await import(pathToFileURL(join(values.child, 'local/etl/silver-to-gold.ts')).href)) as typeof import('../../local/etl/silver-to-gold.js');
  const started = performance.now();
  const cpu = process.cpuUsage();
  await module.runSilverToGold({ silverDir: values.silver!, goldDir: values.gold!, runId: 'bench' });
  const used = process.cpuUsage(cpu);
  const figures: RunFigures = {
    wallSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(figures));
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'pricesense-bench-s2g-'));
try {
  let silverDir = values.silver;
  if (!silverDir) {
    const rows = Number(values.rows ?? 2_670_000);
    const { generateDataset } = await import('../../local/generator/generate-dataset.js');
    const { runRawToSilver } = await import('../../local/etl/raw-to-silver.js');
    await generateDataset({ rows, seed: 9, out: join(work, 'raw.csv') });
    silverDir = join(work, 'silver');
    await runRawToSilver({ rawPath: join(work, 'raw.csv'), silverDir, runId: 'bench' });
    rmSync(join(work, 'raw.csv'));
  }
  const roots = [thisRoot, ...(values.root ? [resolve(values.root)] : [])];
  const runs = new Map<string, RunFigures[]>(roots.map((root) => [root, []]));
  const loadBefore = loadavg().map((x) => x.toFixed(1)).join(' ');
  for (let repeat = 0; repeat < Number(values.repeat); repeat += 1) {
    for (const [index, root] of roots.entries()) {
      const gold = values['keep-gold'] ? join(values['keep-gold'], `${index === 0 ? 'this' : 'other'}-${repeat}`) : join(work, 'gold');
      mkdirSync(gold, { recursive: true });
      const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', root, '--silver', silverDir, '--gold', gold], { encoding: 'utf8', cwd: thisRoot });
      if (child.status !== 0) throw new Error(`${root}: the job failed: ${child.stderr.slice(-2000)}`);
      runs.get(root)!.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RunFigures);
    }
  }
  const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
  console.log(`silver ${silverDir}; load average ${loadBefore} before, ${loadavg().map((x) => x.toFixed(1)).join(' ')} after; ${values.repeat} runs each, medians`);
  for (const [root, figures] of runs) {
    const of = (key: keyof RunFigures) => median(figures.map((run) => run[key]));
    console.log(
      `${root === thisRoot ? 'this checkout ' : root}  wall ${of('wallSeconds').toFixed(2)} s  CPU ${of('cpuSeconds').toFixed(2)} s  peak RSS ${of('peakRssMiB').toFixed(0)} MiB` +
        `  (wall ${figures.map((run) => run.wallSeconds.toFixed(2)).join(' ')}; CPU ${figures.map((run) => run.cpuSeconds.toFixed(2)).join(' ')})`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
