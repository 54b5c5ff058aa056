/**
 * Catalog tables as DuckDB views: each table becomes `"<database>"."<table>"` over the Parquet
 * files under its location in the local S3, with hive partitioning so partition keys
 * (`run_id=...`) are columns. A table with a `storage.location.template` (partition projection)
 * is read through that template with every `${key}` as a wildcard.
 */
import { statSync } from 'node:fs';
import { localObjectPath, parseS3Uri } from '../s3-location.js';
import type { DuckDbSession } from '../../etl/duckdb-session.js';
import { sqlString } from '../../etl/duckdb-session.js';

export interface AthenaTable {
  database: string;
  name: string;
  /** s3://bucket/prefix/ */
  location: string;
  partitionKeys: string[];
  /** Partition-projection template, e.g. s3://b/gold/run_id=${run_id}/baskets/ */
  locationTemplate?: string;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Local glob of the table's Parquet files. */
export function parquetGlob(stateDir: string, table: AthenaTable): string {
  const template = table.locationTemplate?.replace(/\$\{[^}]+\}/g, '*');
  const base = template ?? table.location;
  const { bucket, key } = parseS3Uri(base.endsWith('/') ? base : `${base}/`);
  const root = localObjectPath(stateDir, bucket, key);
  return template ? `${root}/*.parquet` : `${root}/**/*.parquet`;
}

/**
 * Creates one view per table that has data and returns the bytes of Parquet behind each
 * (Athena's DataScannedInBytes, approximated by the files' sizes).
 */
export async function createTableViews(session: DuckDbSession, stateDir: string, tables: AthenaTable[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const table of tables) {
    const glob = parquetGlob(stateDir, table);
    const files = await session.rows(`SELECT file FROM glob(${sqlString(glob)})`);
    if (files.length === 0) continue;
    const database = table.database.toLowerCase();
    await session.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database)}`);
    await session.run(
      `CREATE OR REPLACE VIEW ${quoteIdentifier(database)}.${quoteIdentifier(table.name.toLowerCase())} AS SELECT * FROM read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`,
    );
    sizes.set(`${database}.${table.name.toLowerCase()}`, files.reduce((sum, row) => sum + statSync(String(row.file)).size, 0));
  }
  return sizes;
}
