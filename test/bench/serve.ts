/**
 * Benchmark of `pricesense serve` (not a test): `npx tsx test/bench/serve.ts [--seconds 60]
 * [--concurrency 50] [--state-dir DIR]`.
 *
 * Builds a realistic setup: generates raw data, runs the real ETL (DuckDB), trains an XGBoost
 * model with the xgboost command, deploys it to a local endpoint record and ingests the customer
 * features into the local feature store. Then starts `pricesense serve` as a second process on
 * loopback and drives single-basket /predict at the given concurrency with keep-alive
 * connections, reporting requests/s, p50/p95/p99 latency, errors and the server's RSS at start
 * and end; then batch scoring rows/s through /invocations (1,000 CSV rows per request).
 *
 * `--state-dir DIR` keeps the prepared setup: a second run with the same DIR skips the data,
 * ETL and training and reuses it. `--cpu-prof DIR` writes a V8 CPU profile of the server there.
 */
import { REFERENCE_PRICES_FILE } from '../../workflow/gold-features.js';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFeatureStore } from '../../local/aws/feature-store/index.js';
import { DuckDbSession, sqlString } from '../../local/etl/duckdb-session.js';
import { runRawToSilver } from '../../local/etl/raw-to-silver.js';
import { GOLD_LAYOUT, runSilverToGold } from '../../local/etl/silver-to-gold.js';
import { generateDataset } from '../../local/generator/generate-dataset.js';
import { ensureCustomerFeatureGroup } from '../../local/serving/customer-feature-group.js';
import { deployModelLocally } from '../../local/serving/local-deployment.js';
import { groupRawLinesByBasket, predictRequestFromRawLines, type RawLine } from '../../local/serving/raw-basket.js';
import { trainXgboost } from '../../local/xgboost/train.js';
import { parseFeatureFile } from '../../tasks/core/ingest-features/feature-records.js';
import { CUSTOMER_FEATURE_GROUP } from '../../workflow/resource-names.js';
import { runLoad } from './load-generator.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, concurrency: { type: 'string', default: '50' }, 'state-dir': { type: 'string' }, 'cpu-prof': { type: 'string' }, 'batch-seconds': { type: 'string', default: '15' }, rows: { type: 'string', default: '60000' } },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const endpointName = 'bench-endpoint';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

async function prepare(dir: string): Promise<{ bodies: Buffer[]; batchBodies: Buffer[] }> {
  const rawPath = join(dir, 'raw.csv');
  await generateDataset({ rows: Number(values.rows), seed: 99, out: rawPath, weeks: 5 });
  await runRawToSilver({ rawPath, silverDir: join(dir, 'silver'), runId: 'bench' });
  const goldDir = join(dir, 'gold');
  await runSilverToGold({ silverDir: join(dir, 'silver'), goldDir, runId: 'bench' });
  const modelOut = join(dir, 'model', 'xgboost-model');
  mkdirSync(join(dir, 'model'), { recursive: true });
  await trainXgboost({
    trainCsv: join(goldDir, GOLD_LAYOUT.train),
    validationCsv: join(goldDir, GOLD_LAYOUT.validation),
    hyperparameters: { objective: 'multi:softprob', num_class: '3', num_round: '100', max_depth: '6', eta: '0.2' },
    workDir: join(dir, 'train'),
    modelOut,
  });
  const stateDir = join(dir, 'state');
  await deployModelLocally({ stateDir, endpointName, modelPath: modelOut, version: 'bench-model/1' });
  const store = createFeatureStore(stateDir);
  await ensureCustomerFeatureGroup(store.groups);
  let customers = 0;
  for (const file of readdirSync(join(goldDir, GOLD_LAYOUT.customerFeatures))) {
    for (const record of parseFeatureFile(readFileSync(join(goldDir, GOLD_LAYOUT.customerFeatures, file), 'utf8'), '1970-01-01T00:00:00Z').records) {
      await store.runtime.call('PutRecord', { FeatureGroupName: CUSTOMER_FEATURE_GROUP, Record: record.record });
      customers += 1;
    }
  }
  const session = await DuckDbSession.open();
  const rawLines = (await session.rows(`SELECT * FROM read_csv(${sqlString(rawPath)}, header = true, all_varchar = true)`)) as unknown as RawLine[];
  session.close();
  const bodies = [...groupRawLinesByBasket(rawLines).values()].map((lines) => Buffer.from(JSON.stringify(predictRequestFromRawLines(lines))));
  const testRows = readFileSync(join(goldDir, GOLD_LAYOUT.testFeatures, 'test.csv'), 'utf8').trim().split('\n');
  const batchBodies: Buffer[] = [];
  for (let i = 0; i + 1000 <= testRows.length; i += 1000) batchBodies.push(Buffer.from(`${testRows.slice(i, i + 1000).join('\n')}\n`));
  if (batchBodies.length === 0) batchBodies.push(Buffer.from(`${testRows.join('\n')}\n`));
  console.log(`prepared: ${bodies.length} baskets, ${customers} customers in the feature store, ${testRows.length} test rows, model trained`);
  return { bodies, batchBodies };
}

interface Prepared {
  bodies: Buffer[];
  batchBodies: Buffer[];
}

/** The prepared request bodies, saved so a rerun on the same directory skips the setup. */
async function prepareOnce(dir: string): Promise<Prepared> {
  const saved = join(dir, 'bench-bodies.json');
  if (existsSync(saved)) {
    const text = JSON.parse(readFileSync(saved, 'utf8')) as { bodies: string[]; batchBodies: string[] };
    console.log(`reusing the setup in ${dir}: ${text.bodies.length} baskets`);
    return { bodies: text.bodies.map((body) => Buffer.from(body)), batchBodies: text.batchBodies.map((body) => Buffer.from(body)) };
  }
  const prepared = await prepare(dir);
  writeFileSync(saved, JSON.stringify({ bodies: prepared.bodies.map(String), batchBodies: prepared.batchBodies.map(String) }));
  return prepared;
}

async function main(): Promise<void> {
  const dir = values['state-dir'] ?? mkdtempSync(join(tmpdir(), 'bench-serve-'));
  const { bodies, batchBodies } = await prepareOnce(dir);
  const port = await freePort();
  const profile = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
  const child = spawn(process.execPath, [...profile, 'bin/pricesense.mjs', 'serve', '--port', String(port), '--state-dir', join(dir, 'state'), '--endpoint', endpointName, '--reference-prices', join(dir, 'gold', GOLD_LAYOUT.serving, REFERENCE_PRICES_FILE)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${url}/ping`).then((res) => res.status === 200, () => false);
      if (ok) break;
      if (i > 300) throw new Error('pricesense serve did not answer /ping within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Warm-up: JIT and the customer-history cache, as a long-running server would be.
    await runLoad({ url: `${url}/predict`, bodies, contentType: 'application/json', concurrency, durationMs: 5000 });
    const rssStart = rssMiB(child.pid!);
    const rssSamples: number[] = [];
    const predict = await runLoad({
      url: `${url}/predict`,
      bodies,
      contentType: 'application/json',
      concurrency,
      durationMs: seconds * 1000,
      onTick: () => rssSamples.push(rssMiB(child.pid!)),
    });
    const rssEnd = rssMiB(child.pid!);
    console.log(`\n/predict, single basket, concurrency ${concurrency}, ${predict.seconds.toFixed(1)} s:`);
    console.log(`  requests/s ${predict.requestsPerSecond.toFixed(0)}  (${predict.requests} requests, ${predict.errors} errors${predict.firstError ? `, first: ${predict.firstError}` : ''})`);
    console.log(`  latency ms p50 ${predict.latencyMs.p50.toFixed(2)}  p95 ${predict.latencyMs.p95.toFixed(2)}  p99 ${predict.latencyMs.p99.toFixed(2)}  max ${predict.latencyMs.max.toFixed(2)}`);
    console.log(`  server RSS MiB start ${rssStart}, end ${rssEnd}, min ${Math.min(...rssSamples)}, max ${Math.max(...rssSamples)}`);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    console.log(`\n${metrics.split('\n').filter((line) => line.startsWith('pricesense_inference_records') || line.startsWith('pricesense_http_requests_total{route="/predict"')).join('\n')}`);

    const batchSeconds = Math.min(Number(values['batch-seconds']), seconds);
    if (batchSeconds <= 0) return;
    const batch = await runLoad({ url: `${url}/invocations`, bodies: batchBodies, contentType: 'text/csv', accept: 'text/csv', concurrency: 4, durationMs: batchSeconds * 1000 });
    const rowsPerRequest = batchBodies[0]!.toString().trim().split('\n').length;
    console.log(`\n/invocations batch scoring, ${rowsPerRequest} rows per request, concurrency 4, ${batch.seconds.toFixed(1)} s:`);
    console.log(`  rows/s ${(batch.requestsPerSecond * rowsPerRequest).toFixed(0)}  (${batch.requests} requests, ${batch.errors} errors)  p99 ${batch.latencyMs.p99.toFixed(1)} ms`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

await main();
