/**
 * Times the pure cores of the task Lambdas on realistic sizes:
 *   npx tsx test/bench/task-cores.ts
 * - validate-input: checking the head of a raw file (SAMPLE_ROWS = 1000, plain and gzip)
 * - evaluate-model: metrics + 30 bootstrap resamples over a test split of 500,000 rows
 * - ingest-features: parsing a 50,000-customer feature file into PutRecord payloads
 */
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { bootstrapStandardDeviations, classificationMetrics } from '../../tasks/core/evaluate-model/classification-metrics.js';
import { FEATURE_FILE_COLUMNS, parseFeatureFile } from '../../tasks/core/ingest-features/feature-records.js';
import { checkRawCsvHead, sampleByteCount } from '../../tasks/core/validate-input/raw-csv-check.js';
import type { LabelIndex } from '../../workflow/payloads.js';
import { rawCsv, rawRow } from '../tasks/fixtures.js';

async function time(label: string, repeats: number, work: () => unknown): Promise<void> {
  await work(); // warm-up
  const start = performance.now();
  for (let i = 0; i < repeats; i += 1) await work();
  const ms = (performance.now() - start) / repeats;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(9)} ms`);
}

const sampleRows = 1000;
const text = rawCsv(Array.from({ length: 20_000 }, (_, i) => rawRow({ BASKET_ID: String(994100100000000 + i), SPEND: (i % 997 / 100).toFixed(2) })));
const bytes = new TextEncoder().encode(text);
const headBytes = bytes.subarray(0, sampleByteCount(bytes.length, sampleRows));
const gz = gzipSync(bytes);
const gzHead = gz.subarray(0, sampleByteCount(gz.length, sampleRows));
await time(`validate-input head check, ${sampleRows} rows (${headBytes.length} bytes)`, 20, () => {
  return checkRawCsvHead({ uri: 's3://b/raw/x.csv', bytes: headBytes, isWholeObject: false, gzip: false }, sampleRows);
});
await time(`validate-input head check, gzip (${gzHead.length} compressed bytes)`, 20, () => {
  return checkRawCsvHead({ uri: 's3://b/raw/x.csv.gz', bytes: gzHead, isWholeObject: false, gzip: true }, sampleRows);
});

const rows = 500_000;
const actual: LabelIndex[] = [];
const predicted: LabelIndex[] = [];
for (let i = 0; i < rows; i += 1) {
  const truth = (i % 3) as LabelIndex;
  actual.push(truth);
  predicted.push((i % 5 === 0 ? (truth + 1) % 3 : truth) as LabelIndex);
}
await time(`evaluate-model metrics, ${rows} rows`, 10, () => void classificationMetrics(actual, predicted));
await time(`evaluate-model bootstrap (30 resamples), ${rows} rows`, 2, () => void bootstrapStandardDeviations(actual, predicted, { resamples: 30, seed: 1 }));

const customers = 50_000;
const featureText = [FEATURE_FILE_COLUMNS.join(','), ...Array.from({ length: customers }, (_, i) => `CUST${i},2026-01-24 00:00:00,3,12.5,4.25,0.2,0.5,0.3,200603`)].join('\n');
await time(`ingest-features parse, ${customers} customers`, 5, () => void parseFeatureFile(featureText, '2026-01-31T00:00:00Z'));
