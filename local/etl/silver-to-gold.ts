/**
 * The silver -> gold Glue job run locally: the SQL files of glue-scripts/sql/silver_to_gold on
 * DuckDB, then the outputs of workflow/s3-layout.ts goldPaths() under `goldDir`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CUSTOMER_EVENT_TIME, CUSTOMER_FEATURES, CUSTOMER_RECORD_ID } from '../../workflow/features.js';
import { GlueJob } from '../../workflow/resource-names.js';
import { writeJsonAtomic } from '../state/atomic-write.js';
import { DuckDbSession, EtlStepError, sqlString } from './duckdb-session.js';
import { CUSTOMER_FEATURE_FILE_ROWS, MODEL_MATRIX_KEYS, REFERENCE_PRICES_FILE, type ReferencePrices } from '../../workflow/gold-features.js';
import { SILVER_STATS_COLUMNS } from '../../workflow/gold-baskets-schema.js';
import { SILVER_STATS_FILE, type RawToSilverStats } from './raw-to-silver.js';
import { loadSqlSteps, SILVER_TO_GOLD_SQL_DIR } from './sql-steps.js';
import { splitCsvRows } from './split-csv-rows.js';
import { bindStep, stepBinding } from './silver-to-gold-bindings.js';

export interface SilverToGoldOptions {
  /** Local directory of `silver/run_id=<runId>/`. */
  silverDir: string;
  /** Local directory standing for `s3://<bucket>/gold/run_id=<runId>/`; replaced whole. */
  goldDir: string;
  runId: string;
  /** Largest number of rows per customer_features CSV. @default CUSTOMER_FEATURE_FILE_ROWS (10,000) */
  customerFeatureFileRows?: number;
  /** Stops the job (BatchStopJobRun): the running query is interrupted and the job rejects. */
  signal?: AbortSignal;
}

export interface SilverToGoldStats {
  runId: string;
  /** The raw -> silver counts of this run, when silver/_stats.json exists. */
  silver: RawToSilverStats | null;
  silverRows: number;
  baskets: number;
  unclassifiedBasketsDropped: number;
  labelledBaskets: number;
  labelCounts: { LA: number; MM: number; UM: number };
  trainRows: number;
  validationRows: number;
  testRows: number;
  customers: number;
  customerFeatureFiles: number;
  features: string[];
  seconds: number;
}

export const GOLD_STATS_FILE = '_stats.json';
const JOB = GlueJob.SilverToGold;

/** Gold sub-folders, relative to goldDir (mirrors goldPaths() without the run prefix). */
export const GOLD_LAYOUT = {
  baskets: 'baskets',
  train: 'xgboost/train',
  validation: 'xgboost/validation',
  testFeatures: 'xgboost/test/features',
  testLabels: 'xgboost/test/labels',
  customerFeatures: 'customer_features',
  serving: 'serving',
  silverStats: 'silver_stats',
} as const;

function hasParquet(directory: string): boolean {
  if (!existsSync(directory)) return false;
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).some((file) => file.endsWith('.parquet'));
}

export async function runSilverToGold(options: SilverToGoldOptions): Promise<SilverToGoldStats> {
  const started = performance.now();
  if (!hasParquet(options.silverDir)) {
    throw new EtlStepError(
      JOB,
      'read silver',
      new Error(`no silver Parquet files under ${options.silverDir}: run raw-to-silver for run ${options.runId} first (or every raw row was rejected; see its _stats.json)`),
    );
  }
  const fileRows = options.customerFeatureFileRows ?? CUSTOMER_FEATURE_FILE_ROWS;
  if (!Number.isInteger(fileRows) || fileRows < 1) throw new EtlStepError(JOB, 'options', new Error(`customerFeatureFileRows must be a whole number >= 1, got ${fileRows}`));
  options.signal?.throwIfAborted();
  const session = await DuckDbSession.open({ ordered: false, bounded: true });
  session.interruptOn(options.signal);
  const step = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
    options.signal?.throwIfAborted();
    try {
      return await action();
    } catch (error) {
      throw new EtlStepError(JOB, name, error);
    }
  };
  try {
    await step(`read silver Parquet ${options.silverDir}`, () =>
      session.run(
        `CREATE VIEW silver_lines AS SELECT * FROM read_parquet(${sqlString(join(options.silverDir, '**', '*.parquet'))}, hive_partitioning = true, hive_types_autocast = false)`,
      ),
    );
    const dir = (name: keyof typeof GOLD_LAYOUT) => join(options.goldDir, GOLD_LAYOUT[name]);
    const basketsFile = join(dir('baskets'), 'part-00000.parquet');
    let goldReplaced = false;
    // Gold is replaced at its first output (the baskets step), once the steps before it succeeded.
    const replaceGold = async () => {
      if (goldReplaced) return;
      goldReplaced = true;
      await rm(options.goldDir, { recursive: true, force: true });
      for (const name of Object.keys(GOLD_LAYOUT) as Array<keyof typeof GOLD_LAYOUT>) await mkdir(dir(name), { recursive: true });
    };
    for (const sqlStep of loadSqlSteps(SILVER_TO_GOLD_SQL_DIR)) {
      const binding = stepBinding(sqlStep.name);
      if (binding === 'output') await replaceGold();
      await step(sqlStep.file, () => bindStep(session, sqlStep.name, sqlStep.sql, binding, basketsFile));
    }
    await replaceGold();

    const matrixColumns = await session.columnNames('SELECT * FROM model_matrix');
    const features = matrixColumns.filter((column) => !(MODEL_MATRIX_KEYS as readonly string[]).includes(column));
    const featureList = features.join(', ');
    const copyCsv = (query: string, path: string, header = false) =>
      step(`write ${path}`, () => session.run(`COPY (${query}) TO ${sqlString(path)} (FORMAT CSV, HEADER ${header})`));

    // model_matrix reads the baskets Parquet, written ordered by basket_id (binding 'output'): with
    // insertion order kept, each split comes out in that order without a sort per file (four
    // sorts cost 0.5 s of 1.9 s CPU for these writes at 2.67M rows).
    await session.run('SET preserve_insertion_order = true');
    await copyCsv(`SELECT label, ${featureList} FROM model_matrix WHERE split = 'train'`, join(dir('train'), 'train.csv'));
    await copyCsv(`SELECT label, ${featureList} FROM model_matrix WHERE split = 'validation'`, join(dir('validation'), 'validation.csv'));
    await copyCsv(`SELECT ${featureList} FROM model_matrix WHERE split = 'test'`, join(dir('testFeatures'), 'test.csv'));
    await copyCsv(`SELECT label FROM model_matrix WHERE split = 'test'`, join(dir('testLabels'), 'labels.csv'));
    await session.run('SET preserve_insertion_order = false');

    // One sorted CSV, then cut into files of fileRows customers in one pass: a LIMIT/OFFSET query
    // per file sorted the whole table once per file (quadratic in customers).
    const customerColumns = [CUSTOMER_RECORD_ID, CUSTOMER_EVENT_TIME, ...CUSTOMER_FEATURES.map((feature) => feature.name)].join(', ');
    const allCustomers = join(session.scratchDirectory!, 'customer_features.csv');
    await copyCsv(`SELECT ${customerColumns} FROM customer_features ORDER BY ${CUSTOMER_RECORD_ID}`, allCustomers, true);
    options.signal?.throwIfAborted();
    const { files: customerFiles } = await step(`write ${dir('customerFeatures')}`, () =>
      splitCsvRows(allCustomers, fileRows, (part) => join(dir('customerFeatures'), `part-${String(part).padStart(5, '0')}.csv`)),
    );

    options.signal?.throwIfAborted();
    await writeJsonAtomic(join(dir('serving'), 'feature_list.json'), features);
    const encodings: Record<string, Record<string, number>> = {};
    for (const row of await session.rows('SELECT feature, category, code FROM category_encodings ORDER BY feature, code')) {
      (encodings[String(row.feature)] ??= {})[String(row.category)] = Number(row.code);
    }
    await writeJsonAtomic(join(dir('serving'), 'category_encodings.json'), encodings);
    const references: ReferencePrices = { product: {}, group: {} };
    for (const row of await session.rows('SELECT level, code, reference_price FROM reference_prices ORDER BY level, code')) {
      references[String(row.level) as keyof ReferencePrices][String(row.code)] = Number(row.reference_price);
    }
    await writeJsonAtomic(join(dir('serving'), REFERENCE_PRICES_FILE), references);

    const [counts = {}] = await session.rows('SELECT * FROM gold_stats');
    const [{ n: silverRows = 0 } = {}] = await session.rows('SELECT COUNT(*) AS n FROM silver_lines');
    const count = (name: string) => Number(counts[name] ?? 0);
    const silverStatsPath = join(options.silverDir, SILVER_STATS_FILE);
    const silver = existsSync(silverStatsPath) ? (JSON.parse(readFileSync(silverStatsPath, 'utf8')) as RawToSilverStats) : null;
    // The raw -> silver counts as one Parquet row for Athena (table silver_stats): the
    // data-quality query checks the share of raw rows rejected in silver. Without silver's counts
    // nothing is written, and the rule, measuring nothing, fails.
    const silverCounts = silver?.counts;
    if (silverCounts !== undefined) {
      const row = SILVER_STATS_COLUMNS.map((name) => `CAST(${Number.isFinite(silverCounts[name]) ? Math.trunc(silverCounts[name]) : 'NULL'} AS BIGINT) AS ${name}`).join(', ');
      await step(`write ${dir('silverStats')}`, () => session.run(`COPY (SELECT ${row}) TO ${sqlString(join(dir('silverStats'), 'part-00000.parquet'))} (FORMAT PARQUET)`));
    }
    const stats: SilverToGoldStats = {
      runId: options.runId,
      silver,
      silverRows: Number(silverRows),
      baskets: count('baskets'),
      unclassifiedBasketsDropped: count('unclassified_baskets_dropped'),
      labelledBaskets: count('baskets') - count('unclassified_baskets_dropped'),
      labelCounts: { LA: count('label_la'), MM: count('label_mm'), UM: count('label_um') },
      trainRows: count('train_rows'),
      validationRows: count('validation_rows'),
      testRows: count('test_rows'),
      customers: count('customers'),
      customerFeatureFiles: customerFiles,
      features,
      seconds: (performance.now() - started) / 1000,
    };
    await writeJsonAtomic(join(options.goldDir, GOLD_STATS_FILE), stats);
    return stats;
  } finally {
    session.close();
  }
}
