import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../workflow/config.js';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { placeholderOffsets, placeholderOutsideWhere } from '../../../local/aws/athena/execution-parameters.js';
import { DATA_QUALITY_PARAMETERS, DATA_QUALITY_RULES, dataQualityExecutionParameters, dataQualityThresholds } from '../../../local/etl/data-quality.js';
import { DATA_QUALITY_SQL_FILE } from '../../../local/etl/sql-steps.js';
import { DuckDbSession } from '../../../local/etl/duckdb-session.js';
import { runRawToSilver } from '../../../local/etl/raw-to-silver.js';
import { runSilverToGold } from '../../../local/etl/silver-to-gold.js';
import { failedRules, GOLD_BUCKET, goldAthena, runDataQuality } from './data-quality-harness.js';

const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-dq-'));
const athena = goldAthena(stateDir);
const goldDir = (runId: string) => localObjectPath(stateDir, GOLD_BUCKET, `gold/run_id=${runId}/`);
const basePath = () => join(goldDir('base'), 'baskets', 'part-00000.parquet');

/** Runs the ETL on `rawPath` into gold partition `runId`. */
async function etl(rawPath: string, runId: string): Promise<void> {
  const silverDir = join(stateDir, 'silver', runId);
  await runRawToSilver({ rawPath, silverDir, runId });
  await runSilverToGold({ silverDir, goldDir: goldDir(runId), runId });
}

/** Writes a gold partition derived from the base run with a DuckDB SELECT over `base` (silver counts copied). */
async function derive(runId: string, select: string): Promise<number> {
  const target = join(goldDir(runId), 'baskets');
  mkdirSync(target, { recursive: true });
  mkdirSync(join(goldDir(runId), 'silver_stats'), { recursive: true });
  copyFileSync(join(goldDir('base'), 'silver_stats', 'part-00000.parquet'), join(goldDir(runId), 'silver_stats', 'part-00000.parquet'));
  const session = await DuckDbSession.open();
  try {
    await session.run(`CREATE VIEW base AS SELECT * FROM read_parquet('${basePath()}')`);
    await session.run(`COPY (${select}) TO '${join(target, 'part-00000.parquet')}' (FORMAT PARQUET)`);
    const [row] = await session.rows(`SELECT COUNT(*) AS n FROM (${select})`);
    return Number(row!.n);
  } finally {
    session.close();
  }
}

/** Rewrites every label of a raw CSV. */
async function relabel(from: string, to: string, label: string): Promise<void> {
  const session = await DuckDbSession.open();
  try {
    await session.run(
      `COPY (SELECT * REPLACE ('${label}' AS BASKET_PRICE_SENSITIVITY) FROM read_csv('${from}', header = true, all_varchar = true)) TO '${to}' (FORMAT CSV, HEADER true)`,
    );
  } finally {
    session.close();
  }
}

beforeAll(async () => {
  await generateDataset({ rows: 20_000, seed: 11, out: join(stateDir, 'raw.csv') });
  await etl(join(stateDir, 'raw.csv'), 'base');
});

describe('dataQualityExecutionParameters', () => {
  it('quotes the run id and lists the thresholds in DATA_QUALITY_PARAMETERS order', () => {
    expect({ order: DATA_QUALITY_PARAMETERS, values: dataQualityExecutionParameters('run-1', DEFAULT_CONFIG.dataQuality) }).toEqual({
      order: ['runId', 'runId', 'minBaskets', 'minClassShare', 'maxUnclassifiedShare', 'maxNullRate', 'maxRejectedShare'],
      values: ["'run-1'", "'run-1'", '1000', '0.05', '0.5', '0.01', '0.01'],
    });
  });

  it('rejects a run id that could break out of the string literal', () => {
    expect(() => dataQualityExecutionParameters("x' OR '1'='1", DEFAULT_CONFIG.dataQuality)).toThrow(
      'run id must be 1-80 characters of letters, digits, _ . -, got "x\' OR \'1\'=\'1"',
    );
  });
});

describe('data_quality.sql on good generated data', () => {
  it('returns one passing row per rule, in DATA_QUALITY_RULES order', async () => {
    const results = await runDataQuality(athena, 'base');
    expect({ rules: Object.keys(results), failed: failedRules(results) }).toEqual({ rules: [...DATA_QUALITY_RULES], failed: [] });
  });

  it('only looks at the run it is given', async () => {
    const results = await runDataQuality(athena, 'no-such-run');
    expect(results.min_labelled_baskets).toEqual({ measured: '0', threshold: '1000', passed: 'false' });
  });
});

describe('data_quality.sql breaches, one rule each', () => {
  it('fails min_labelled_baskets with the count when too few baskets remain', async () => {
    const rows = await derive('few', 'SELECT * FROM base WHERE basket_id % 4 = 0 AND label IS NOT NULL');
    const results = await runDataQuality(athena, 'few');
    // basket_id % 4 = 0 keeps even ids only, so the test split (id % 10 = 9) is empty too.
    expect({ failed: failedRules(results), measured: results.min_labelled_baskets!.measured, test: results.split_test_all_classes!.measured }).toEqual({
      failed: ['min_labelled_baskets', 'split_test_all_classes'],
      measured: String(rows),
      test: '0',
    });
  });

  it('fails all_classes_present and min_class_share_um when UM is missing', async () => {
    await derive('no-um', 'SELECT * FROM base WHERE label IS DISTINCT FROM 2');
    const results = await runDataQuality(athena, 'no-um');
    expect({ failed: failedRules(results), classes: results.all_classes_present!.measured, um: results.min_class_share_um!.measured }).toEqual({
      failed: ['all_classes_present', 'min_class_share_um', 'split_test_all_classes', 'split_train_all_classes', 'split_validation_all_classes'],
      classes: '2',
      um: '0',
    });
  });

  it.each([
    ['la', 0],
    ['mm', 1],
  ])('fails min_class_share_%s when that class is rare', async (name, label) => {
    await derive(`rare-${name}`, `SELECT * FROM base WHERE label IS DISTINCT FROM ${label} OR basket_id % 50 = 0`);
    const results = await runDataQuality(athena, `rare-${name}`);
    // The rare class keeps ids divisible by 50 only, all in the train split (id % 10 = 0).
    expect({ failed: failedRules(results), below: Number(results[`min_class_share_${name}`]!.measured) < 0.05 }).toEqual({
      failed: [`min_class_share_${name}`, 'split_test_all_classes', 'split_validation_all_classes'],
      below: true,
    });
  });

  it('fails max_unclassified_share when most baskets are XX', async () => {
    await derive('mostly-xx', "SELECT * REPLACE (CASE WHEN basket_id % 10 < 6 THEN NULL ELSE label END AS label) FROM base");
    const results = await runDataQuality(athena, 'mostly-xx');
    expect({ failed: failedRules(results), above: Number(results.max_unclassified_share!.measured) > 0.4 }).toEqual({
      failed: ['max_unclassified_share'].concat(Number(results.min_labelled_baskets!.measured) < 1000 ? ['min_labelled_baskets'] : []).sort(),
      above: true,
    });
  });

  it.each(['total_spend', 'spend_per_item', 'items', 'shop_hour', 'shop_weekday', 'prior_baskets'])(
    'fails max_null_rate_%s when 5%% of that column is NULL',
    async (column) => {
      await derive(`null-${column}`, `SELECT * REPLACE (CASE WHEN basket_id % 20 = 0 THEN NULL ELSE ${column} END AS ${column}) FROM base`);
      const results = await runDataQuality(athena, `null-${column}`);
      const measured = Number(results[`max_null_rate_${column}`]!.measured);
      expect({ failed: failedRules(results), nearFivePercent: measured > 0.03 && measured < 0.07 }).toEqual({
        failed: [`max_null_rate_${column}`],
        nearFivePercent: true,
      });
    },
  );

  it.each([
    ['range_total_spend_not_negative', 'total_spend', '-1.0'],
    ['range_items_at_least_one', 'items', '0'],
    ['range_shop_hour_0_23', 'shop_hour', '24'],
    ['range_shop_weekday_1_7', 'shop_weekday', '8'],
    ['range_department_share_0_1', 'dept_share_d00003', '1.5'],
  ])('fails %s with the number of rows out of range', async (rule, column, value) => {
    const bad = await derive(`range-${column}`, `SELECT * REPLACE (CASE WHEN basket_id % 100 = 7 THEN ${value} ELSE ${column} END AS ${column}) FROM base`);
    const session = await DuckDbSession.open();
    const [{ n } = {}] = await session.rows(`SELECT COUNT(*) AS n FROM read_parquet('${basePath()}') WHERE basket_id % 100 = 7`);
    session.close();
    const results = await runDataQuality(athena, `range-${column}`);
    expect({ rows: bad > 0, failed: failedRules(results), measured: results[rule]!.measured }).toEqual({
      rows: true,
      failed: [rule],
      measured: String(n),
    });
  });
});

describe('data_quality.sql: splits and finite numbers (issue 14, cases 7 and 9)', () => {
  it('fails split_test_all_classes when the test split is empty, before TrainModel or ScoreTestSplit', async () => {
    await derive('no-test', 'SELECT * FROM base WHERE basket_id % 10 <> 9');
    const results = await runDataQuality(athena, 'no-test');
    expect({ failed: failedRules(results), measured: results.split_test_all_classes!.measured, threshold: results.split_test_all_classes!.threshold }).toEqual({
      failed: ['split_test_all_classes'],
      measured: '0',
      threshold: '3',
    });
  });

  it('fails split_validation_all_classes when a class is missing from the validation split only', async () => {
    await derive('no-val-um', 'SELECT * FROM base WHERE NOT (basket_id % 10 = 8 AND label = 2)');
    const results = await runDataQuality(athena, 'no-val-um');
    expect({ failed: failedRules(results), measured: results.split_validation_all_classes!.measured }).toEqual({
      failed: ['split_validation_all_classes'],
      measured: '2',
    });
  });

  it.each(["'NaN'", "'Infinity'", "'-Infinity'"])('fails finite_numbers when total_spend is %s', async (value) => {
    await derive(`nf-${value.replace(/\W/g, '')}`, `SELECT * REPLACE (CASE WHEN basket_id % 100 = 7 THEN CAST(${value} AS DOUBLE) ELSE total_spend END AS total_spend) FROM base`);
    const results = await runDataQuality(athena, `nf-${value.replace(/\W/g, '')}`);
    expect({ failed: failedRules(results).filter((rule) => rule === 'finite_numbers'), positive: Number(results.finite_numbers!.measured) > 0 }).toEqual({
      failed: ['finite_numbers'],
      positive: true,
    });
  });
});

/** Copies a raw CSV, making every `every`-th line's SPEND non-numeric (rejected in silver as invalid_spend). */
async function spoilSpend(from: string, to: string, every: number): Promise<void> {
  const session = await DuckDbSession.open();
  try {
    await session.run(
      `COPY (SELECT * EXCLUDE (n) REPLACE (CASE WHEN n % ${every} = 0 THEN 'abc' ELSE SPEND END AS SPEND) FROM (SELECT *, row_number() OVER () AS n FROM read_csv('${from}', header = true, all_varchar = true))) TO '${to}' (FORMAT CSV, HEADER true)`,
    );
  } finally {
    session.close();
  }
}

describe('data_quality.sql: share of raw rows rejected in silver (issue 14, case 3)', () => {
  it('fails max_rejected_share, measuring the share, when 5 % of the raw rows are invalid', async () => {
    await spoilSpend(join(stateDir, 'raw.csv'), join(stateDir, 'spoiled.csv'), 20);
    await etl(join(stateDir, 'spoiled.csv'), 'spoiled');
    const results = await runDataQuality(athena, 'spoiled');

    expect({ failed: failedRules(results), measured: results.max_rejected_share!.measured, threshold: results.max_rejected_share!.threshold }).toEqual({
      failed: ['max_rejected_share'],
      measured: String(1000 / 20_000),
      threshold: '0.01',
    });
  });

  it('passes at 0.5 % invalid rows (under the 1 % default), measuring 0.005', async () => {
    await spoilSpend(join(stateDir, 'raw.csv'), join(stateDir, 'lightly-spoiled.csv'), 200);
    await etl(join(stateDir, 'lightly-spoiled.csv'), 'lightly-spoiled');
    const results = await runDataQuality(athena, 'lightly-spoiled');

    expect({ failed: failedRules(results), measured: results.max_rejected_share!.measured }).toEqual({ failed: [], measured: '0.005' });
  });

  it('measures 0 on a clean file', async () => {
    expect((await runDataQuality(athena, 'base')).max_rejected_share).toEqual({ measured: '0', threshold: '0.01', passed: 'true' });
  });

  it('fails (NULL measurement) when the run has no silver counts', async () => {
    const target = join(goldDir('no-silver-stats'), 'baskets');
    mkdirSync(target, { recursive: true });
    copyFileSync(basePath(), join(target, 'part-00000.parquet'));
    const results = await runDataQuality(athena, 'no-silver-stats');

    expect({ failed: failedRules(results), measured: results.max_rejected_share!.measured }).toEqual({ failed: ['max_rejected_share'], measured: undefined });
  });
});

describe('data_quality.sql under Athena\'s rule for execution parameters (issue 11, D3)', () => {
  it('places every ? in a WHERE clause', () => {
    expect(placeholderOutsideWhere(readFileSync(DATA_QUALITY_SQL_FILE, 'utf8'))).toBeUndefined();
  });

  it('binds as many parameters as dataQualityExecutionParameters gives', () => {
    expect(placeholderOffsets(readFileSync(DATA_QUALITY_SQL_FILE, 'utf8'))).toHaveLength(dataQualityExecutionParameters('r', DEFAULT_CONFIG.dataQuality).length);
  });

  it('the threshold of every rule comes from the configuration', () => {
    expect(Object.keys(dataQualityThresholds(DEFAULT_CONFIG.dataQuality))).toEqual([...DATA_QUALITY_RULES]);
  });
});

describe('bad input that passes validation ends in a data-quality breach', () => {
  it('only XX labels: no labelled baskets, no classes, everything unclassified', async () => {
    await relabel(join(stateDir, 'raw.csv'), join(stateDir, 'only-xx.csv'), 'XX');
    await etl(join(stateDir, 'only-xx.csv'), 'only-xx');
    const results = await runDataQuality(athena, 'only-xx');
    expect({
      failed: failedRules(results),
      labelled: results.min_labelled_baskets!.measured,
      classes: results.all_classes_present!.measured,
      unclassified: results.max_unclassified_share!.measured,
    }).toEqual({
      failed: ['all_classes_present', 'max_unclassified_share', 'min_class_share_la', 'min_class_share_mm', 'min_class_share_um', 'min_labelled_baskets', 'split_test_all_classes', 'split_train_all_classes', 'split_validation_all_classes'],
      labelled: '0',
      classes: '0',
      unclassified: '1',
    });
  });

  it('one class: the other classes are missing', async () => {
    await relabel(join(stateDir, 'raw.csv'), join(stateDir, 'one-class.csv'), 'MM');
    await etl(join(stateDir, 'one-class.csv'), 'one-class');
    const results = await runDataQuality(athena, 'one-class');
    expect({ failed: failedRules(results), classes: results.all_classes_present!.measured, la: results.min_class_share_la!.measured }).toEqual({
      failed: ['all_classes_present', 'min_class_share_la', 'min_class_share_um', 'split_test_all_classes', 'split_train_all_classes', 'split_validation_all_classes'],
      classes: '1',
      la: '0',
    });
  });

  it('too few baskets: min_labelled_baskets names the count', async () => {
    const manifest = await generateDataset({ rows: 3000, seed: 12, out: join(stateDir, 'small.csv') });
    await etl(join(stateDir, 'small.csv'), 'small');
    const results = await runDataQuality(athena, 'small');
    expect({ failed: failedRules(results), measured: results.min_labelled_baskets!.measured }).toEqual({
      failed: ['min_labelled_baskets'],
      measured: String(manifest.labelledBaskets),
    });
  });
});
