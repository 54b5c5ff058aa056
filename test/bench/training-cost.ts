/**
 * What training costs and what it buys, hyperparameter by hyperparameter: the pipeline's gold data
 * (generated once per rows/seed and kept in --cache) is trained with the default configuration's
 * hyperparameters plus `--set key=value` overrides, and the test split scored by the local model.
 * Prints rounds, the xgboost command's wall and CPU time (user+sys of the child, from
 * /proc/self/stat: Linux only), accuracy / Bayes-optimal and the smallest class precision, with
 * the load average. Repeat runs give the medians of wall and CPU.
 *   npx tsx test/bench/training-cost.ts --rows 2670000 --seeds 9 --repeat 3 --set max_bin=64 --set eta=0.3
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../../workflow/config.js';
import { generateDataset } from '../../local/generator/generate-dataset.js';
import { runRawToSilver } from '../../local/etl/raw-to-silver.js';
import { GOLD_LAYOUT, runSilverToGold } from '../../local/etl/silver-to-gold.js';
import { trainXgboost } from '../../local/xgboost/train.js';
import { testSplitMetrics } from './support/test-split-metrics.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    seeds: { type: 'string', default: '3,7,9' },
    cache: { type: 'string', default: '/tmp/pricesense-bench-training-cost' },
    set: { type: 'string', multiple: true, default: [] },
    repeat: { type: 'string', default: '1' },
  },
});
const rows = Number(values.rows);
const repeat = Number(values.repeat);
const overrides = Object.fromEntries(
  values.set!.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--set ${JSON.stringify(pair)}: expected key=value`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const hyperparameters = {
  ...Object.fromEntries(Object.entries(DEFAULT_CONFIG.training.hyperparameters).map(([k, v]) => [k, String(v)])),
  ...overrides,
};

/** CPU seconds (user + sys) of the children this process has waited for. */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // after "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const median = (numbers: number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** Gold data of one rows/seed, made once: the pipeline's SQL on DuckDB. */
async function goldFor(seed: number): Promise<{ gold: string; bayes: number; featureCount: number }> {
  const dir = join(values.cache!, `rows${rows}-seed${seed}`);
  const info = join(dir, 'info.json');
  if (!existsSync(info)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const rawPath = join(dir, 'raw.csv');
    const manifest = await generateDataset({ rows, seed, out: rawPath });
    await runRawToSilver({ rawPath, silverDir: join(dir, 'silver'), runId: 'q' });
    const stats = await runSilverToGold({ silverDir: join(dir, 'silver'), goldDir: join(dir, 'gold'), runId: 'q' });
    rmSync(rawPath);
    rmSync(join(dir, 'silver'), { recursive: true, force: true });
    writeFileSync(info, JSON.stringify({ bayes: manifest.bayesOptimalAccuracy, featureCount: stats.features.length }));
  }
  const { bayes, featureCount } = JSON.parse(readFileSync(info, 'utf8')) as { bayes: number; featureCount: number };
  return { gold: join(dir, 'gold'), bayes, featureCount };
}

console.log(`hyperparameters: ${JSON.stringify(hyperparameters)}`);
for (const seed of values.seeds!.split(',').map(Number)) {
  const { gold, bayes, featureCount } = await goldFor(seed);
  const walls: number[] = [];
  const cpus: number[] = [];
  const loads: number[] = [];
  let summary = '';
  for (let run = 0; run < repeat; run++) {
    const work = join(values.cache!, `work-${process.pid}`);
    loads.push(loadavg()[0]!);
    const cpuBefore = childCpuSeconds();
    const started = performance.now();
    const trained = await trainXgboost({
      trainCsv: join(gold, GOLD_LAYOUT.train),
      validationCsv: join(gold, GOLD_LAYOUT.validation),
      hyperparameters,
      workDir: work,
      modelOut: join(work, 'xgboost-model'),
    });
    walls.push((performance.now() - started) / 1000);
    cpus.push(childCpuSeconds() - cpuBefore);
    const metrics = await testSplitMetrics(gold, featureCount, join(work, 'xgboost-model'));
    const precisions = Object.entries(metrics.precision);
    const [minClass, minPrecision] = precisions.reduce((low, entry) => (entry[1] < low[1] ? entry : low));
    const validationLoss = trained.metrics.find((metric) => metric.name.startsWith('validation:'));
    summary =
      `accuracy ${metrics.accuracy.toFixed(4)} / Bayes ${bayes.toFixed(4)} = ${(metrics.accuracy / bayes).toFixed(3)}, ` +
      `min precision ${minClass} ${minPrecision.toFixed(3)} (${precisions.map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ')}), ` +
      `${validationLoss?.name} ${validationLoss?.value.toFixed(4)}, rounds ${trained.rounds}, test rows ${metrics.testRows}`;
    rmSync(work, { recursive: true, force: true });
  }
  console.log(
    `rows ${rows} seed ${seed}: ${summary}; train wall ${median(walls).toFixed(2)} s, CPU ${median(cpus).toFixed(2)} s ` +
      `(median of ${repeat}; runs wall ${walls.map((w) => w.toFixed(1)).join('/')} CPU ${cpus.map((c) => c.toFixed(1)).join('/')}; load ${loads.map((l) => l.toFixed(1)).join('/')})`,
  );
}
