/**
 * How the local SilverToGold job binds each SQL step's result under its name for the steps after
 * it. On Glue every step is a lazy Spark temp view. On DuckDB a view is recomputed by each reader,
 * and a TEMP TABLE of an in-memory database is held by the process (the job used to keep every
 * step as one: peak RSS 1.0 GiB at 2.67M rows, DuckDB's limit). So:
 *   view     read once, or cheap to recompute: nothing is held.
 *   table    small whatever the file's size (one row per product): held in memory.
 *   scratch  read by several steps and one row per basket or more: written once as uncompressed
 *            Parquet to the session's scratch folder and read back from there (spilled, not held).
 *   output   gold_baskets: written as the gold baskets Parquet itself (ordered by basket_id), which
 *            the steps after it then read: the job's own output is its materialisation.
 * A step not listed is bound as scratch (safe for memory); bindings.test.ts asks that every SQL
 * file has an entry, so a new step gets a decision.
 */
import { join } from 'node:path';
import { sqlString, type DuckDbSession } from './duckdb-session.js';

export type StepBinding = 'view' | 'table' | 'scratch' | 'output';

export const SILVER_TO_GOLD_BINDINGS: Readonly<Record<string, StepBinding>> = {
  category_encodings: 'view',
  reference_prices: 'table',
  // Read by 04, 06 and 08; recomputing it (a 2.67M-line aggregate, ~2 s CPU) would triple the job's largest cost.
  basket_facts: 'scratch',
  // Read by 05 and 08.
  customer_weeks: 'scratch',
  customer_history: 'view',
  gold_baskets: 'output',
  model_matrix: 'view',
  customer_features: 'view',
  gold_stats: 'view',
};

export function stepBinding(name: string): StepBinding {
  return SILVER_TO_GOLD_BINDINGS[name] ?? 'scratch';
}

/** Binds `sql` under `name`; for 'output', writes it to `outputFile` ordered by basket_id first. */
export async function bindStep(session: DuckDbSession, name: string, sql: string, binding: StepBinding, outputFile: string): Promise<void> {
  switch (binding) {
    case 'view':
      return session.run(`CREATE VIEW ${name} AS ${sql}`);
    case 'table':
      return session.run(`CREATE TEMP TABLE ${name} AS ${sql}`);
    case 'scratch': {
      if (!session.scratchDirectory) throw new Error(`step ${name} is bound as scratch Parquet, but the DuckDB session has no scratch folder (open it bounded)`);
      const file = join(session.scratchDirectory, `${name}.parquet`);
      await session.run(`COPY (${sql}) TO ${sqlString(file)} (FORMAT PARQUET, COMPRESSION UNCOMPRESSED)`);
      return session.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${sqlString(file)})`);
    }
    case 'output':
      await session.run(`COPY (SELECT * FROM (${sql}) AS step ORDER BY basket_id) TO ${sqlString(outputFile)} (FORMAT PARQUET)`);
      return session.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${sqlString(outputFile)})`);
  }
}
