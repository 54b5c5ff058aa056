/** A short-lived in-memory DuckDB used by one job run or one query. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const MIB = 1024 * 1024;

/**
 * DuckDB's memory limit for an ETL job: `PRICESENSE_DUCKDB_MEMORY_MB` when set, else a quarter of
 * the machine's memory, at most 1 GiB and at least 256 MiB. DuckDB's own default (80 % of memory)
 * lets one job take the machine; bounded, its temp tables and large sorts/aggregates spill to
 * the temp directory instead, so the peak does not grow with the file.
 */
export function etlMemoryLimitBytes(env: NodeJS.ProcessEnv = process.env, machineBytes = totalmem()): number {
  const configured = Number(env.PRICESENSE_DUCKDB_MEMORY_MB);
  if (Number.isFinite(configured) && configured > 0) return Math.round(configured * MIB);
  return Math.max(256 * MIB, Math.min(1024 * MIB, Math.floor(machineBytes / 4)));
}

/** Where bounded jobs spill (each session in its own folder below): `PRICESENSE_DUCKDB_TEMP_DIR`, else `<os tmpdir>/pricesense-duckdb`. */
export function etlTempDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.PRICESENSE_DUCKDB_TEMP_DIR || join(tmpdir(), 'pricesense-duckdb');
}

/** A failed ETL step: names the job, the SQL file or action, and the engine's message. */
export class EtlStepError extends Error {
  constructor(
    readonly job: string,
    readonly step: string,
    cause: unknown,
  ) {
    super(`${job}: step ${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EtlStepError';
  }
}

export class DuckDbSession {
  private spillDirectory: string | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /**
   * @param options.ordered keep insertion order for queries without ORDER BY (@default true);
   *   the ETL turns it off, which lets DuckDB stream its large scans and writes with less memory
   *   (every output whose order matters has an ORDER BY).
   * @param options.bounded cap memory at etlMemoryLimitBytes() and spill to etlTempDirectory(),
   *   with one thread per core (@default false: queries and tests keep DuckDB's defaults).
   */
  static async open(options: { ordered?: boolean; bounded?: boolean } = {}): Promise<DuckDbSession> {
    const instance = await DuckDBInstance.create(':memory:');
    const session = new DuckDbSession(instance, await instance.connect());
    if (options.ordered === false) await session.run('SET preserve_insertion_order = false');
    if (options.bounded) {
      // One folder per session: DuckDB names its spill files alike in every instance.
      mkdirSync(etlTempDirectory(), { recursive: true });
      const spill = mkdtempSync(join(etlTempDirectory(), 'session-'));
      session.spillDirectory = spill;
      await session.run(`SET memory_limit = '${Math.floor(etlMemoryLimitBytes() / MIB)}MiB'`);
      await session.run(`SET temp_directory = ${sqlString(spill)}`);
      await session.run(`SET threads = ${availableParallelism()}`);
    }
    return session;
  }

  /** This session's own folder under etlTempDirectory() (bounded sessions only), removed on close: spill files and intermediate Parquet. */
  get scratchDirectory(): string | undefined {
    return this.spillDirectory;
  }

  /** Interrupts the running query when `signal` aborts (a stopped job run); the query then rejects. */
  interruptOn(signal: AbortSignal | undefined): void {
    signal?.addEventListener('abort', () => this.connection.interrupt(), { once: true });
  }

  /** DuckDB's current memory_limit, as it reports it (e.g. `1.0 GiB`). */
  async memoryLimit(): Promise<string> {
    const [row] = await this.rows("SELECT current_setting('memory_limit') AS v");
    return String(row?.v);
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** Rows as plain objects; BIGINT/HUGEINT become numbers, dates ISO strings. */
  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        out[key] = typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.toISOString().slice(0, 10) : value;
      }
      return out;
    });
  }

  async columnNames(sql: string): Promise<string[]> {
    const reader = await this.connection.runAndReadAll(`SELECT * FROM (${sql}) AS q LIMIT 0`);
    return reader.columnNames();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.spillDirectory) rmSync(this.spillDirectory, { recursive: true, force: true });
  }
}

/** A string literal for DuckDB SQL (file paths). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
