/**
 * Feature parity: /predict's features equal the gold SQL's, value for value, for thousands of
 * generated baskets. The raw file goes through the real ETL (DuckDB, glue-scripts/sql); the
 * customer history is put into the local feature store AS OF each basket's week: before scoring
 * week W, the store receives the same customer_features SQL (07) run over the weeks before W only,
 * as a pipeline run over the earlier files would have ingested it. Each basket's raw lines
 * (duplicates included) become a /predict request mechanically, and predictBasket's feature vector
 * is compared with the gold row of that basket. The reference prices are the run's
 * serving/reference_prices.json, the file the served model carries.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatureStore } from '../../local/aws/feature-store/index.js';
import { LocalAws } from '../../local/aws/registry.js';
import { routeClient } from '../../local/aws/sdk-routing.js';
import { DuckDbSession, sqlString } from '../../local/etl/duckdb-session.js';
import { GOLD_FEATURES, REFERENCE_PRICES_FILE } from '../../workflow/gold-features.js';
import { parseReferencePrices, StaticReferencePrices } from '../../tasks/core/predict/reference-prices.js';
import { runRawToSilver } from '../../local/etl/raw-to-silver.js';
import { GOLD_LAYOUT, runSilverToGold } from '../../local/etl/silver-to-gold.js';
import { loadSqlSteps, SILVER_TO_GOLD_SQL_DIR } from '../../local/etl/sql-steps.js';
import { generateDataset } from '../../local/generator/generate-dataset.js';
import { ensureCustomerFeatureGroup } from '../../local/serving/customer-feature-group.js';
import { groupRawLinesByBasket, predictRequestFromRawLines, type RawLine } from '../../local/serving/raw-basket.js';
import { FeatureStoreCustomerHistory } from '../../tasks/core/predict/customer-history.js';
import { predictBasket } from '../../tasks/core/predict/predict-basket.js';
import { FEATURE_FILE_COLUMNS, parseFeatureFile } from '../../tasks/core/ingest-features/feature-records.js';
import { CUSTOMER_FEATURE_GROUP } from '../../workflow/resource-names.js';


const ROWS = 40_000;
const WEEKS = 5;

interface Comparison {
  baskets: number;
  withHistory: number;
  duplicateLineBaskets: number;
  /** Baskets with lines both above and below their reference. */
  aboveAndBelow: number;
  /** Baskets whose customer last shopped two or more weeks earlier. */
  recencyAboveOne: number;
  mismatches: string[];
}

let dir: string;
let comparison: Comparison;

function close(actual: number, expected: number): boolean {
  return actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'predict-parity-'));
  const rawPath = join(dir, 'raw.csv');
  await generateDataset({ rows: ROWS, seed: 20240611, out: rawPath, weeks: WEEKS });
  const silverDir = join(dir, 'silver');
  const goldDir = join(dir, 'gold');
  await runRawToSilver({ rawPath, silverDir, runId: 'parity' });
  await runSilverToGold({ silverDir, goldDir, runId: 'parity' });

  const store = createFeatureStore(join(dir, 'state'));
  await ensureCustomerFeatureGroup(store.groups);
  const localAws = new LocalAws().register(store.runtime);
  const client = new SageMakerFeatureStoreRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  routeClient(client, 'sagemakerfeaturestoreruntime', () => localAws);
  const history = new FeatureStoreCustomerHistory(client, CUSTOMER_FEATURE_GROUP);

  let captured: Float64Array | undefined;
  const references = parseReferencePrices(readFileSync(join(goldDir, GOLD_LAYOUT.serving, REFERENCE_PRICES_FILE), 'utf8'), 'of the parity run');
  const deps = {
    history,
    references: new StaticReferencePrices(references),
    scorer: { score: async (features: Float64Array) => ((captured = features), { probabilities: [0.2, 0.3, 0.5], modelVersion: 'parity' }) },
    recorder: { record: async () => undefined },
  };

  const session = await DuckDbSession.open();
  try {
    // The same SQL steps the silver -> gold job runs, as plain tables so a schema can shadow two of them.
    await session.run(`CREATE VIEW silver_lines AS SELECT * FROM read_parquet(${sqlString(join(silverDir, '**', '*.parquet'))}, hive_partitioning = true, hive_types_autocast = false)`);
    const steps = loadSqlSteps(SILVER_TO_GOLD_SQL_DIR);
    for (const step of steps.filter((s) => ['category_encodings', 'reference_prices', 'basket_facts', 'customer_weeks'].includes(s.name))) {
      await session.run(`CREATE TABLE ${step.name} AS ${step.sql}`);
    }
    const customerFeaturesSql = steps.find((s) => s.name === 'customer_features')!.sql;
    const gold = new Map<string, Record<string, unknown>>();
    for (const row of await session.rows(`SELECT CAST(basket_id AS VARCHAR) AS id, * FROM read_parquet(${sqlString(join(goldDir, GOLD_LAYOUT.baskets, '*.parquet'))})`)) {
      gold.set(String(row.id), row);
    }
    const rawLines = (await session.rows(`SELECT * FROM read_csv(${sqlString(rawPath)}, header = true, all_varchar = true)`)) as unknown as RawLine[];
    const baskets = groupRawLinesByBasket(rawLines);
    const weeks = [...new Set(rawLines.map((line) => Number(line.SHOP_WEEK)))].sort((a, b) => a - b);

    await session.run('CREATE SCHEMA history_as_of');
    comparison = { baskets: 0, withHistory: 0, duplicateLineBaskets: 0, aboveAndBelow: 0, recencyAboveOne: 0, mismatches: [] };
    for (const week of weeks) {
      // History as of the start of `week`: 07 over the earlier weeks only.
      await session.run(`CREATE OR REPLACE VIEW history_as_of.customer_weeks AS SELECT * FROM main.customer_weeks WHERE shop_week < ${week}`);
      await session.run(`CREATE OR REPLACE VIEW history_as_of.basket_facts AS SELECT * FROM main.basket_facts WHERE shop_week < ${week}`);
      await session.run("SET search_path = 'history_as_of,main'");
      const csvPath = join(dir, `customer-features-${week}.csv`);
      await session.run(`COPY (SELECT ${FEATURE_FILE_COLUMNS.join(', ')} FROM (${customerFeaturesSql}) ORDER BY customer_id) TO ${sqlString(csvPath)} (FORMAT CSV, HEADER true)`);
      await session.run("SET search_path = 'main'");
      const parsed = parseFeatureFile(readFileSync(csvPath, 'utf8'), '1970-01-01T00:00:00Z');
      expect(parsed.rejected).toEqual([]);
      for (const record of parsed.records) {
        await store.runtime.call('PutRecord', { FeatureGroupName: CUSTOMER_FEATURE_GROUP, Record: record.record });
      }

      for (const [basketId, lines] of baskets) {
        if (Number(lines[0]!.SHOP_WEEK) !== week) continue;
        const expected = gold.get(basketId);
        if (!expected) {
          comparison.mismatches.push(`basket ${basketId}: no gold row`);
          continue;
        }
        captured = undefined;
        const outcome = await predictBasket(deps, JSON.stringify(predictRequestFromRawLines(lines)));
        if (outcome.status !== 200 || !captured) {
          comparison.mismatches.push(`basket ${basketId}: /predict answered ${outcome.status} ${JSON.stringify(outcome.body)}`);
          continue;
        }
        comparison.baskets += 1;
        if (Number(expected.prior_baskets) > 0) comparison.withHistory += 1;
        if (Number(expected.share_above_reference) > 0 && Number(expected.share_below_reference) > 0) comparison.aboveAndBelow += 1;
        if (Number(expected.weeks_since_last_shop) > 1) comparison.recencyAboveOne += 1;
        if (new Set(lines.map((l) => `${l.PROD_CODE},${l.QUANTITY},${l.SPEND}`)).size < lines.length) comparison.duplicateLineBaskets += 1;
        GOLD_FEATURES.forEach((name, index) => {
          const want = Number(expected[name]);
          const got = (captured as Float64Array)[index]!;
          if (!close(got, want)) comparison.mismatches.push(`basket ${basketId} ${name}: /predict ${got}, gold ${want}`);
        });
      }
    }
  } finally {
    session.close();
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('/predict feature parity with the gold SQL', () => {
  it('computes every feature of thousands of generated baskets equal to their gold rows', () => {
    expect(comparison.mismatches.slice(0, 20)).toEqual([]);
    expect(comparison.baskets).toBeGreaterThan(3000);
  });

  it('covers customers with history from earlier weeks (the feature store path), not only first baskets', () => {
    expect(comparison.withHistory).toBeGreaterThan(1000);
  });

  it('covers the relative-price path: lines above and below their reference, and recency from earlier weeks', () => {
    expect(comparison.aboveAndBelow).toBeGreaterThan(1000);
    expect(comparison.recencyAboveOne).toBeGreaterThan(0);
  });

  it('covers baskets whose raw lines hold exact duplicates (silver removes them, so must /predict)', () => {
    expect(comparison.duplicateLineBaskets).toBeGreaterThan(0);
  });
});
