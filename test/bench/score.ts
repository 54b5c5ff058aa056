/**
 * Scoring speed of the TypeScript XGBoost scorer on a realistic model (200 rounds x 3 classes,
 * depth 6, 20 features with 10% missing): batch rows/s, single-row latency, CSV-to-probabilities
 * rows/s (the /invocations path), and the xgboost command's own batch prediction for comparison.
 *
 *   npx tsx test/bench/score.ts [--rows 100000]
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { parseFeatureCsv } from '../../local/xgboost/csv-features.js';
import { loadXgboostModel } from '../../local/xgboost/model.js';
import { predictWithXgboostCli } from '../../local/xgboost/predict-cli.js';
import { trainXgboost } from '../../local/xgboost/train.js';
import { featuresCsvText, makeSyntheticData, writeLabeledCsv } from '../local/xgboost/synthetic-data.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const scoreRows = Number(values.rows);

const rate = (rows: number, ms: number): string => Math.round(rows / (ms / 1000)).toLocaleString('en-US');

console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const dir = await mkdtemp(join(tmpdir(), 'bench-score-'));
try {
  const train = makeSyntheticData(20_000, { seed: 1 });
  await writeLabeledCsv(train, join(dir, 'train.csv'));
  let started = performance.now();
  const trained = await trainXgboost({
    trainCsv: join(dir, 'train.csv'),
    hyperparameters: { objective: 'multi:softprob', num_class: '3', num_round: '200', max_depth: '6', eta: '0.1', subsample: '0.9', colsample_bytree: '0.8', tree_method: 'hist', seed: '1' },
    workDir: join(dir, 'work'),
    modelOut: join(dir, 'xgboost-model'),
  });
  console.log(`train: ${trained.rounds} rounds x 3 classes, depth 6, 20k rows: ${((performance.now() - started) / 1000).toFixed(1)} s (xgboost command)`);

  started = performance.now();
  const model = await loadXgboostModel(join(dir, 'xgboost-model'));
  console.log(`load + flatten model: ${(performance.now() - started).toFixed(1)} ms`);

  const data = makeSyntheticData(scoreRows, { seed: 2 });
  model.predictProba(data.features.subarray(0, 2000 * 20), 2000); // warm up the JIT
  const batchTimes: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    started = performance.now();
    const cpu = process.cpuUsage();
    model.predictProba(data.features, data.numRows);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    batchTimes.push(performance.now() - started);
  }
  const bestBatch = Math.min(...batchTimes);
  const bestCpu = Math.min(...cpuTimes);
  console.log(
    `batch predictProba: ${scoreRows} rows in ${bestBatch.toFixed(0)} ms wall = ${rate(scoreRows, bestBatch)} rows/s; ` +
      `${rate(scoreRows, bestCpu)} rows per CPU-second (best of 3; CPU time shows the cost when the cores are shared)`,
  );

  const latencies: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const row = i % data.numRows; // a different row each call: the same row would stay in the branch predictor
    const t = performance.now();
    model.predictProba(data.features.subarray(row * 20, row * 20 + 20), 1);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number): string => `${(latencies[Math.floor((latencies.length - 1) * p)]! * 1000).toFixed(1)} us`;
  console.log(`single-row predictProba latency over 20000 calls: p50 ${pct(0.5)}, p99 ${pct(0.99)}, max ${pct(1)}`);

  const csv = featuresCsvText(data);
  await writeFile(join(dir, 'features.csv'), csv);
  started = performance.now();
  const parsed = parseFeatureCsv(csv, 20);
  model.predictProba(parsed.values, parsed.numRows);
  const csvMs = performance.now() - started;
  console.log(`CSV text -> probabilities (the /invocations path): ${Math.round(scoreRows / (csvMs / 1000)).toLocaleString('en-US')} rows/s`);

  started = performance.now();
  await predictWithXgboostCli(join(dir, 'xgboost-model'), join(dir, 'features.csv'), join(dir, 'cli.txt'));
  const cliMs = performance.now() - started;
  console.log(`xgboost command task=pred on the same CSV (process + parse + predict): ${Math.round(scoreRows / (cliMs / 1000)).toLocaleString('en-US')} rows/s`);
  void (await readFile(join(dir, 'cli.txt'), 'utf8')).length;
} finally {
  await rm(dir, { recursive: true, force: true });
}
