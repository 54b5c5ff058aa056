/**
 * IngestFeatures without the rest of the pipeline: the gold customer_features files of a run
 * written to a fresh local feature group by the task core (tasks/core/ingest-features) through
 * real SDK clients routed to the local S3 and Feature Store emulators, one call per file in
 * parallel as the Distributed Map runs them (MaxConcurrency 10, 16 PutRecords in flight each).
 * Not included: the Lambda invoke and IAM authorization (~5 % of the state's CPU in a profile of
 * `pricesense run`). Each run in a fresh child process; medians of --repeat runs, load average.
 *   npx tsx test/bench/ingest-features.ts --features GOLD/customer_features [--repeat 3] [--root OTHER_CHECKOUT]
 * "ingest" is what the state waits for (offline flushes at 10,000 buffered rows included), "flush"
 * the remainder written after it (at the 2 s timer in a run).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    features: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    root: { type: 'string' },
    child: { type: 'string' },
  },
});

const self = fileURLToPath(import.meta.url);
const thisRoot = resolve(self, '../../..');

interface RunFigures {
  ingestSeconds: number;
  ingestCpuSeconds: number;
  flushSeconds: number;
  peakRssMiB: number;
  recordsWritten: number;
  /** SHA-256 of the online records (GetRecord of every id) and of the offline rows without their write and invocation times: equal digests, equal stores. */
  onlineDigest: string;
  offlineDigest: string;
}

async function child(root: string, featuresDir: string): Promise<RunFigures> {
  const load = <T>(path: string) => import(pathToFileURL(join(root, path)).href) as Promise<T>;
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const { SageMakerFeatureStoreRuntimeClient } = await import('@aws-sdk/client-sagemaker-featurestore-runtime');
  const { createAwsClient } = await load<typeof import('../../tasks/core/shared/aws-clients.js')>('tasks/core/shared/aws-clients.ts');
  const { ingestFeatureFiles } = await load<typeof import('../../tasks/core/ingest-features/feature-ingestion.js')>('tasks/core/ingest-features/feature-ingestion.ts');
  const { createFeatureStore } = await load<typeof import('../../local/aws/feature-store/index.js')>('local/aws/feature-store/index.ts');
  const { LocalAws } = await load<typeof import('../../local/aws/registry.js')>('local/aws/registry.ts');
  const { S3Emulator } = await load<typeof import('../../local/aws/s3.js')>('local/aws/s3.ts');
  const { installSdkRouting } = await load<typeof import('../../local/aws/sdk-routing.js')>('local/aws/sdk-routing.ts');
  const { CUSTOMER_EVENT_TIME, CUSTOMER_FEATURES, CUSTOMER_RECORD_ID } = await load<typeof import('../../workflow/features.js')>('workflow/features.ts');

  const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-bench-ingest-'));
  try {
    const s3 = new S3Emulator(stateDir);
    for (const bucket of ['gold', 'artifacts']) await s3.createBucket(bucket);
    const featureStore = createFeatureStore(stateDir);
    installSdkRouting(new LocalAws().register(s3).register(featureStore.groups).register(featureStore.runtime));
    await featureStore.groups.call('CreateFeatureGroup', {
      FeatureGroupName: 'customers',
      RecordIdentifierFeatureName: CUSTOMER_RECORD_ID,
      EventTimeFeatureName: CUSTOMER_EVENT_TIME,
      FeatureDefinitions: [
        { FeatureName: CUSTOMER_RECORD_ID, FeatureType: 'String' },
        { FeatureName: CUSTOMER_EVENT_TIME, FeatureType: 'String' },
        ...CUSTOMER_FEATURES.map((feature) => ({ FeatureName: feature.name, FeatureType: feature.type })),
      ],
      OnlineStoreConfig: { EnableOnlineStore: true },
      OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://artifacts/feature-store' } },
    });
    const s3Client = createAwsClient('s3', () => new S3Client({}));
    const featureStoreClient = createAwsClient('sagemakerfeaturestoreruntime', () => new SageMakerFeatureStoreRuntimeClient({ maxAttempts: 1 }));
    const keys: string[] = [];
    for (const file of readdirSync(featuresDir).sort()) {
      const key = `gold/run_id=bench/customer_features/${file}`;
      await s3Client.send(new PutObjectCommand({ Bucket: 'gold', Key: key, Body: readFileSync(join(featuresDir, file)) }));
      keys.push(key);
    }

    const started = performance.now();
    const cpu = process.cpuUsage();
    const results = await Promise.all(
      keys.map((Key) =>
        ingestFeatureFiles(
          { s3: s3Client, featureStore: featureStoreClient },
          { featureGroupName: 'customers', Items: [{ Key }], BatchInput: { bucket: 'gold', eventTime: '2026-01-31T00:00:00Z' } },
          { artifactsBucket: 'artifacts', concurrency: 16, maxAttempts: 5 },
        ),
      ),
    );
    const used = process.cpuUsage(cpu);
    const ingestSeconds = (performance.now() - started) / 1000;
    const flushStarted = performance.now();
    await featureStore.flush();
    const flushSeconds = (performance.now() - flushStarted) / 1000;
    const { onlineDigest, offlineDigest } = await digests(featureStore, stateDir, keys.length === 0 ? [] : readdirSync(featuresDir).sort().map((file) => join(featuresDir, file)));
    return {
      onlineDigest,
      offlineDigest,
      ingestSeconds,
      ingestCpuSeconds: (used.user + used.system) / 1e6,
      flushSeconds,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      recordsWritten: results.reduce((sum, result) => sum + result.recordsWritten, 0),
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function digests(
  featureStore: { runtime: { call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> } },
  stateDir: string,
  files: string[],
): Promise<{ onlineDigest: string; offlineDigest: string }> {
  const online = createHash('sha256');
  const ids = files.flatMap((file) => readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.slice(0, line.indexOf(','))));
  for (const id of ids.sort()) {
    online.update(JSON.stringify(await featureStore.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: id })));
  }
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const glob = join(stateDir, 's3', 'artifacts', '**', '*.parquet').replaceAll("'", "''");
  const reader = await connection.runAndReadAll(`SELECT * EXCLUDE (write_time, api_invocation_time) FROM read_parquet('${glob}', hive_partitioning = false) ORDER BY ALL`);
  const offline = createHash('sha256').update(JSON.stringify(reader.getRowsJson())).update(JSON.stringify(reader.columnTypes().map(String)));
  connection.closeSync();
  instance.closeSync();
  return { onlineDigest: `${ids.length} ids ${online.digest('hex').slice(0, 16)}`, offlineDigest: `${reader.currentRowCount} rows ${offline.digest('hex').slice(0, 16)}` };
}

if (values.child) {
  console.log(JSON.stringify(await child(values.child, resolve(values.features!))));
  process.exit(0);
}

if (!values.features) {
  console.error('usage: npx tsx test/bench/ingest-features.ts --features GOLD/customer_features [--repeat 3] [--root OTHER_CHECKOUT]');
  process.exit(2);
}
const roots = [thisRoot, ...(values.root ? [resolve(values.root)] : [])];
const runs = new Map<string, RunFigures[]>(roots.map((root) => [root, []]));
const loadBefore = loadavg().map((x) => x.toFixed(1)).join(' ');
for (let repeat = 0; repeat < Number(values.repeat); repeat += 1) {
  for (const root of roots) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', root, '--features', resolve(values.features)], { encoding: 'utf8', cwd: thisRoot });
    if (run.status !== 0) throw new Error(`${root}: ingestion failed: ${run.stderr.slice(-2000)}`);
    runs.get(root)!.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as RunFigures);
  }
}
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
console.log(`${values.features}; load average ${loadBefore} before, ${loadavg().map((x) => x.toFixed(1)).join(' ')} after; ${values.repeat} runs each, medians`);
for (const [root, figures] of runs) {
  const of = (key: 'ingestSeconds' | 'ingestCpuSeconds' | 'flushSeconds' | 'peakRssMiB' | 'recordsWritten') => median(figures.map((run) => run[key]));
  console.log(
    `${root === thisRoot ? 'this checkout ' : root}  ingest ${of('ingestSeconds').toFixed(2)} s wall, ${of('ingestCpuSeconds').toFixed(2)} s CPU; then flush ${of('flushSeconds').toFixed(2)} s; ` +
      `peak RSS ${of('peakRssMiB').toFixed(0)} MiB; ${of('recordsWritten')} records  (wall ${figures.map((run) => run.ingestSeconds.toFixed(2)).join(' ')})`,
  );
}
const digestsSeen = new Set([...runs.values()].flat().map((run) => `online ${run.onlineDigest} offline ${run.offlineDigest}`));
console.log(digestsSeen.size === 1 ? `every run wrote the same records (${[...digestsSeen][0]})` : `runs wrote DIFFERENT records: ${[...digestsSeen].join('; ')}`);
process.exit(digestsSeen.size === 1 ? 0 : 1);
