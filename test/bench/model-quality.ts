/**
 * Model quality against the ceiling, without the orchestration: generate -> raw -> silver -> gold
 * (the pipeline's SQL on DuckDB) -> XGBoost 1.7 with the default configuration's hyperparameters
 * (early stopping on validation) -> the test split scored by the local model. Prints accuracy,
 * accuracy / Bayes-optimal (from the generator's manifest), macro F1 and class precisions, the
 * rounds used and the wall time of each step, with the load average.
 *   npx tsx test/bench/model-quality.ts --rows 2670000 --seeds 3,7,9
 * `pricesense run` reaches the same numbers (same SQL, training and scoring code); this exists
 * because on a heavily shared machine the run's scaled execution timeout can cut a large run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../../workflow/config.js';
import { generateDataset } from '../../local/generator/generate-dataset.js';
import { runRawToSilver } from '../../local/etl/raw-to-silver.js';
import { GOLD_LAYOUT, runSilverToGold } from '../../local/etl/silver-to-gold.js';
import { trainXgboost } from '../../local/xgboost/train.js';
import { testSplitMetrics } from './support/test-split-metrics.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, seeds: { type: 'string', default: '3,7,9' }, keep: { type: 'boolean', default: false } } });
const rows = Number(values.rows);

for (const seed of values.seeds!.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'pricesense-bench-quality-'));
  try {
    const load = loadavg()[0]!.toFixed(1);
    const rawPath = join(dir, 'raw.csv');
    const manifest = await generateDataset({ rows, seed, out: rawPath });
    let t = performance.now();
    const lap = () => {
      const now = performance.now();
      const seconds = (now - t) / 1000;
      t = now;
      return seconds.toFixed(1);
    };
    await runRawToSilver({ rawPath, silverDir: join(dir, 'silver'), runId: 'q' });
    const silverS = lap();
    const gold = join(dir, 'gold');
    const stats = await runSilverToGold({ silverDir: join(dir, 'silver'), goldDir: gold, runId: 'q' });
    const goldS = lap();
    const hyperparameters = Object.fromEntries(Object.entries(DEFAULT_CONFIG.training.hyperparameters).map(([k, v]) => [k, String(v)]));
    const trained = await trainXgboost({
      trainCsv: join(gold, GOLD_LAYOUT.train),
      validationCsv: join(gold, GOLD_LAYOUT.validation),
      hyperparameters,
      workDir: join(dir, 'train'),
      modelOut: join(dir, 'train', 'xgboost-model'),
    });
    const trainS = lap();
    const metrics = await testSplitMetrics(gold, stats.features.length, join(dir, 'train', 'xgboost-model'));
    const scoreS = lap();
    console.log(
      `rows ${rows} seed ${seed} (load ${load}): accuracy ${metrics.accuracy.toFixed(4)} / Bayes ${manifest.bayesOptimalAccuracy.toFixed(4)} = ${(metrics.accuracy / manifest.bayesOptimalAccuracy).toFixed(3)}, ` +
        `macro F1 ${metrics.macroF1.toFixed(4)}, precision LA ${metrics.precision.LA.toFixed(3)} MM ${metrics.precision.MM.toFixed(3)} UM ${metrics.precision.UM.toFixed(3)}, ` +
        `test rows ${metrics.testRows}, rounds ${trained.rounds}; wall s: silver ${silverS}, gold ${goldS}, train ${trainS}, score ${scoreS}`,
    );
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}
