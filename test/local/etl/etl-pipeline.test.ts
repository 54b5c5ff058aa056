import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_FEATURES } from '../../../workflow/features.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import type { Manifest } from '../../../local/generator/manifest.js';
import { DuckDbSession } from '../../../local/etl/duckdb-session.js';
import { GOLD_FEATURES } from '../../../workflow/gold-features.js';
import { runRawToSilver, type RawToSilverStats } from '../../../local/etl/raw-to-silver.js';
import { runSilverToGold, type SilverToGoldStats } from '../../../local/etl/silver-to-gold.js';

const dir = mkdtempSync(join(tmpdir(), 'pricesense-etl-'));
const silverDir = join(dir, 'silver', 'run_id=r1');
const goldDir = join(dir, 'gold', 'run_id=r1');
let manifest: Manifest;
let silver: RawToSilverStats;
let gold: SilverToGoldStats;

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

beforeAll(async () => {
  manifest = await generateDataset({ rows: 20_000, seed: 5, out: join(dir, 'raw.csv') });
  silver = await runRawToSilver({ rawPath: join(dir, 'raw.csv'), silverDir, runId: 'r1' });
  gold = await runSilverToGold({ silverDir, goldDir, runId: 'r1' });
});

describe('raw -> silver on generated data', () => {
  it('removes exactly the planted duplicate rows and rejects none', () => {
    expect({ rowsIn: silver.rowsIn, rejected: silver.rowsRejected, duplicates: silver.duplicatesRemoved, out: silver.rowsOut }).toEqual({
      rowsIn: 20_000,
      rejected: 0,
      duplicates: manifest.duplicateRows,
      out: 20_000 - manifest.duplicateRows,
    });
  });

  it('partitions silver by STORE_REGION then BASKET_TYPE', () => {
    const regions = readdirSync(silverDir).filter((name) => name.startsWith('STORE_REGION='));
    const types = readdirSync(join(silverDir, regions[0]!));
    expect({ regions: regions.length > 1, typesArePartitions: types.every((name) => name.startsWith('BASKET_TYPE=')) }).toEqual({
      regions: true,
      typesArePartitions: true,
    });
  });

  it('writes its counts to silver _stats.json', () => {
    expect(JSON.parse(readFileSync(join(silverDir, '_stats.json'), 'utf8')).rowsOut).toBe(silver.rowsOut);
  });
});

describe('silver -> gold on generated data', () => {
  it('keeps one row per basket and counts the XX baskets it drops from training', () => {
    expect({ baskets: gold.baskets, dropped: gold.unclassifiedBasketsDropped, labelled: gold.labelledBaskets }).toEqual({
      baskets: manifest.baskets,
      dropped: manifest.unclassifiedBaskets,
      labelled: manifest.labelledBaskets,
    });
  });

  it('splits every labelled basket into exactly one of train, validation and test', () => {
    expect(gold.trainRows + gold.validationRows + gold.testRows).toBe(manifest.labelledBaskets);
  });

  it('counts the labels the generator wrote', () => {
    expect(gold.labelCounts).toEqual({ LA: manifest.labelCounts.LA, MM: manifest.labelCounts.MM, UM: manifest.labelCounts.UM });
  });

  it('writes headerless label-first training CSV with one column per feature', () => {
    const rows = lines(join(goldDir, 'xgboost/train/train.csv')).map((line) => line.split(','));
    expect({
      rows: rows.length,
      columns: new Set(rows.map((row) => row.length)),
      labels: new Set(rows.map((row) => row[0])),
    }).toEqual({ rows: gold.trainRows, columns: new Set([1 + GOLD_FEATURES.length]), labels: new Set(['0', '1', '2']) });
  });

  it('writes test features without labels and the labels in the same number of lines', () => {
    const features = lines(join(goldDir, 'xgboost/test/features/test.csv'));
    const labels = lines(join(goldDir, 'xgboost/test/labels/labels.csv'));
    expect({ features: features.length, width: features[0]!.split(',').length, labels: labels.length }).toEqual({
      features: gold.testRows,
      width: GOLD_FEATURES.length,
      labels: gold.testRows,
    });
  });

  it('writes the feature list in GOLD_FEATURES order', () => {
    expect(JSON.parse(readFileSync(join(goldDir, 'serving/feature_list.json'), 'utf8'))).toEqual([...GOLD_FEATURES]);
  });

  it('writes the category encodings serving needs', () => {
    const encodings = JSON.parse(readFileSync(join(goldDir, 'serving/category_encodings.json'), 'utf8'));
    expect({ format: encodings.store_format, label: encodings.label }).toEqual({
      format: { SS: 0, MS: 1, LS: 2, XLS: 3 },
      label: { LA: 0, MM: 1, UM: 2 },
    });
  });

  it('writes customer features with customer_id, event_time and CUSTOMER_FEATURES as header', () => {
    const header = lines(join(goldDir, 'customer_features/part-00000.csv'))[0];
    expect(header).toBe(['customer_id', 'event_time', ...CUSTOMER_FEATURES.map((feature) => feature.name)].join(','));
  });

  it('reads BASKET_TYPE back from the silver partition paths (Top%20Up -> Top Up) before encoding it', async () => {
    const session = await DuckDbSession.open();
    const codes = await session.rows(
      `SELECT DISTINCT basket_type_code AS code FROM read_parquet('${join(goldDir, 'baskets/part-00000.parquet')}') ORDER BY code`,
    );
    session.close();
    expect(codes.map((row) => row.code)).toEqual([-1, 0, 1, 2]);
  });

  it('splits customer features into files of at most customerFeatureFileRows rows, every customer once', async () => {
    const splitGold = join(dir, 'gold-split');
    const stats = await runSilverToGold({ silverDir, goldDir: splitGold, runId: 'r1', customerFeatureFileRows: 100 });
    const files = readdirSync(join(splitGold, 'customer_features')).sort();
    const rows = files.map((file) => lines(join(splitGold, 'customer_features', file)).slice(1));
    expect({
      files: files.length,
      largest: Math.max(...rows.map((part) => part.length)),
      customers: new Set(rows.flat().map((row) => row.split(',')[0])).size,
    }).toEqual({ files: Math.ceil(stats.customers / 100), largest: 100, customers: stats.customers });
  });

  it('writes baskets Parquet and _stats.json', () => {
    expect({
      parquet: existsSync(join(goldDir, 'baskets/part-00000.parquet')),
      stats: JSON.parse(readFileSync(join(goldDir, '_stats.json'), 'utf8')).baskets,
    }).toEqual({ parquet: true, stats: manifest.baskets });
  });
});
