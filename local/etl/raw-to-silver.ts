/**
 * The raw -> silver Glue job run locally: the SQL files of glue-scripts/sql/raw_to_silver on
 * DuckDB, silver written as Parquet partitioned by STORE_REGION and BASKET_TYPE, counts in
 * `<silverDir>/_stats.json` (Spark and Athena skip files starting with `_`).
 */
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { join } from 'node:path';
import { RAW_COLUMNS } from '../../workflow/dataset-schema.js';
import { SILVER_STATS_COLUMNS, type SilverStatsColumn } from '../../workflow/gold-baskets-schema.js';
import { GlueJob } from '../../workflow/resource-names.js';
import { writeJsonAtomic } from '../state/atomic-write.js';
import { DuckDbSession, EtlStepError, sqlString } from './duckdb-session.js';
import { loadSqlSteps, RAW_TO_SILVER_SQL_DIR } from './sql-steps.js';

export interface RawToSilverOptions {
  /** Local path of the raw CSV (.csv or .csv.gz). */
  rawPath: string;
  /** Local directory standing for `s3://<bucket>/silver/run_id=<runId>/`; replaced whole. */
  silverDir: string;
  runId: string;
  /** Stops the job (BatchStopJobRun): the running query is interrupted and the job rejects. */
  signal?: AbortSignal;
  /** Called after each timed step (benchmarks): its wall and process CPU milliseconds (DuckDB's threads included). */
  onStepTimed?: (step: string, wallMs: number, cpuMs: number) => void;
}

export interface RawToSilverStats {
  runId: string;
  rowsIn: number;
  rowsRejected: number;
  rejected: {
    invalidShopWeek: number;
    invalidShopDate: number;
    invalidWeekdayOrHour: number;
    invalidQuantity: number;
    invalidSpend: number;
    missingRequiredCode: number;
  };
  duplicatesRemoved: number;
  rowsOut: number;
  /**
   * The row of 06_silver_stats.sql as it is, snake_case, every reason included (what the Glue
   * job writes to _stats.json on AWS). SilverToGold copies it to the silver_stats table.
   */
  counts: Record<SilverStatsColumn, number>;
  seconds: number;
}

export const SILVER_STATS_FILE = '_stats.json';

/** The header line of a CSV or gzipped CSV (gzip recognised by its magic bytes), without CR/LF. */
async function readFirstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const file = createReadStream(path);
  const input = magic[0] === 0x1f && magic[1] === 0x8b ? file.pipe(createGunzip()) : file;
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line.replace(/\r$/, '');
    return '';
  } finally {
    lines.close();
    file.destroy();
  }
}
const JOB = GlueJob.RawToSilver;

/**
 * How the steps are bound on DuckDB: every step is a view, and the steps below are written once
 * to Parquet in the session's scratch folder and read from there. typed_lines is the one pass over
 * the raw file (one row per raw line): valid_lines reads it, and silver_stats counts rejections
 * per reason from it, without reading the raw file again. repeated_lines and inconsistent_baskets
 * are small (the duplicated lines, the bad baskets) and are each read twice. No table is held in
 * the process (a temp table of 26.7M lines ran out of a 1 GiB limit); valid_lines and silver_lines
 * run inside the one COPY that writes silver.
 * The scratch files are uncompressed: they live for one run, and Snappy only added CPU.
 */
const MATERIALISED_STEPS = new Set(['typed_lines', 'repeated_lines', 'inconsistent_baskets']);
/** The step of the counts, run after silver is written. */
const STATS_STEP = 'silver_stats';

function hasParquet(directory: string): boolean {
  return existsSync(directory) && readdirSync(directory, { recursive: true, encoding: 'utf8' }).some((file) => file.endsWith('.parquet'));
}

export async function runRawToSilver(options: RawToSilverOptions): Promise<RawToSilverStats> {
  const started = performance.now();
  options.signal?.throwIfAborted();
  const session = await DuckDbSession.open({ ordered: false, bounded: true });
  session.interruptOn(options.signal);
  try {
    const step = async (name: string, action: () => Promise<void>, timedAs?: string) => {
      options.signal?.throwIfAborted();
      const cpuBefore = process.cpuUsage();
      const wallBefore = performance.now();
      try {
        await action();
      } catch (error) {
        throw new EtlStepError(JOB, name, error);
      }
      if (timedAs && options.onStepTimed) {
        const cpu = process.cpuUsage(cpuBefore);
        options.onStepTimed(timedAs, performance.now() - wallBefore, (cpu.user + cpu.system) / 1000);
      }
    };
    // Fixed dialect and the 22 schema columns as strings: no sniffing, so a ragged line fails
    // with its line number instead of a dialect guess, and the header is checked by name.
    const csvOptions = `delim = ',', quote = '"', escape = '"', auto_detect = false, columns = {${RAW_COLUMNS.map((name) => `'${name}': 'VARCHAR'`).join(', ')}}`;
    await step(`read raw CSV ${options.rawPath}`, async () => {
      const header = await readFirstLine(options.rawPath);
      if (header !== RAW_COLUMNS.join(',')) {
        throw new Error(`the header must be the 22 schema columns ${RAW_COLUMNS.join(',')}; found ${JSON.stringify(header.slice(0, 400))}`);
      }
      await session.run(`CREATE VIEW raw_lines AS SELECT * FROM read_csv(${sqlString(options.rawPath)}, header = true, ${csvOptions})`);
    });
    const steps = loadSqlSteps(RAW_TO_SILVER_SQL_DIR);
    for (const sqlStep of steps.filter((candidate) => candidate.name !== STATS_STEP)) {
      await step(`${sqlStep.file} (raw CSV ${options.rawPath})`, async () => {
        await session.run(`CREATE VIEW ${sqlStep.name} AS ${sqlStep.sql}`);
        if (!MATERIALISED_STEPS.has(sqlStep.name)) return;
        const file = join(session.scratchDirectory!, `${sqlStep.name}.parquet`);
        await session.run(`COPY ${sqlStep.name} TO ${sqlString(file)} (FORMAT PARQUET, COMPRESSION UNCOMPRESSED)`);
        await session.run(`CREATE OR REPLACE VIEW ${sqlStep.name} AS SELECT * FROM read_parquet(${sqlString(file)})`);
      }, MATERIALISED_STEPS.has(sqlStep.name) ? sqlStep.name : undefined);
    }
    await rm(options.silverDir, { recursive: true, force: true });
    await mkdir(options.silverDir, { recursive: true });
    // One streaming statement: the view chain valid_lines -> silver_lines runs inside the COPY.
    // (Codec: Snappy, DuckDB's default, which Athena, Glue and the next job read; ZSTD and
    // uncompressed measured within the noise of it at 2.67M rows, 5-7 s CPU either way.)
    // Partitioning is most of this step's cost: at 2.67M rows the same rows written flat took
    // 3.9 s CPU, partitioned 7.4-7.7 s (every 2,048-row chunk scatters over the 48 partitions);
    // WRITE_BLOOM_FILTER false, ROW_GROUP_SIZE 1M and a 6 GB memory bound changed nothing (issue 15).
    await step(`write silver Parquet to ${options.silverDir}`, () =>
      session.run(
        `COPY silver_lines TO ${sqlString(options.silverDir)} (FORMAT PARQUET, PARTITION_BY (STORE_REGION, BASKET_TYPE), OVERWRITE_OR_IGNORE true)`,
      ),
      'silver_lines (partitioned Parquet)',
    );
    // The counts read silver_lines back from what was written (Spark counts its cached frame):
    // the view would scan typed_lines and join the repeated lines and bad baskets a second time.
    if (hasParquet(options.silverDir)) {
      await session.run(`CREATE OR REPLACE VIEW silver_lines AS SELECT * FROM read_parquet(${sqlString(join(options.silverDir, '**', '*.parquet'))}, hive_partitioning = true)`);
    }
    const statsStep = steps.find((candidate) => candidate.name === STATS_STEP)!;
    await step(statsStep.file, () => session.run(`CREATE TEMP TABLE ${statsStep.name} AS ${statsStep.sql}`), statsStep.name);
    const [counts = {}] = await session.rows(`SELECT * FROM ${STATS_STEP}`);
    options.signal?.throwIfAborted();
    const count = (name: string) => Number(counts[name] ?? 0);
    const stats: RawToSilverStats = {
      runId: options.runId,
      rowsIn: count('rows_in'),
      rowsRejected: count('rows_in') - count('rows_valid'),
      rejected: {
        invalidShopWeek: count('invalid_shop_week'),
        invalidShopDate: count('invalid_shop_date'),
        invalidWeekdayOrHour: count('invalid_weekday_or_hour'),
        invalidQuantity: count('invalid_quantity'),
        invalidSpend: count('invalid_spend'),
        missingRequiredCode: count('missing_required_code'),
      },
      duplicatesRemoved: count('duplicates_removed'),
      rowsOut: count('rows_out'),
      counts: Object.fromEntries(SILVER_STATS_COLUMNS.map((name) => [name, count(name)])) as Record<SilverStatsColumn, number>,
      seconds: (performance.now() - started) / 1000,
    };
    await writeJsonAtomic(join(options.silverDir, SILVER_STATS_FILE), stats);
    return stats;
  } finally {
    session.close();
  }
}
