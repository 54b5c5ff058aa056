/** A short-lived in-memory DuckDB used by one job run or one query. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

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
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /**
   * @param options.ordered keep insertion order for queries without ORDER BY (@default true);
   *   the ETL turns it off, which lets DuckDB stream its large scans and writes with less memory
   *   (every output whose order matters has an ORDER BY).
   */
  static async open(options: { ordered?: boolean } = {}): Promise<DuckDbSession> {
    const instance = await DuckDBInstance.create(':memory:');
    const session = new DuckDbSession(instance, await instance.connect());
    if (options.ordered === false) await session.run('SET preserve_insertion_order = false');
    return session;
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
  }
}

/** A string literal for DuckDB SQL (file paths). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
