/**
 * Compares two gold folders written by SilverToGold from the same silver (a before/after check
 * for a change to the job): the same files; every CSV the same lines, field by field; the baskets
 * Parquet the same schema and rows (by basket_id); the serving JSON files and the counts of
 * _stats.json equal. Numbers may differ in the last bits only: DuckDB sums doubles in parallel,
 * so the job itself is not bit-reproducible run to run (two runs of the same code differ at
 * ~1e-16 relative); the tolerance is 1e-12 relative.
 *   npx tsx test/bench/gold-compare.ts GOLD_BEFORE GOLD_AFTER
 * Exit 0 equal, 1 different (the first differences printed).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbSession, sqlString } from '../../local/etl/duckdb-session.js';

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: npx tsx test/bench/gold-compare.ts GOLD_BEFORE GOLD_AFTER');
  process.exit(2);
}

const RELATIVE_TOLERANCE = 1e-12;
const differences: string[] = [];
const differ = (message: string) => {
  if (differences.length < 20) console.log(message);
  differences.push(message);
};

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(root, entry)).isFile())
    .sort();
}

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  // Only floats printed as floats may differ (an integer column, or 0 against 0.0, may not).
  if (!/[.eE]/.test(a) || !/[.eE]/.test(b) || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y));
}

function compareCsv(file: string): void {
  const left = readFileSync(join(before!, file), 'utf8').split('\n');
  const right = readFileSync(join(after!, file), 'utf8').split('\n');
  if (left.length !== right.length) differ(`${file}: ${left.length} lines before, ${right.length} after`);
  for (let line = 0; line < Math.min(left.length, right.length); line += 1) {
    if (left[line] === right[line]) continue;
    const a = left[line]!.split(',');
    const b = right[line]!.split(',');
    if (a.length !== b.length || a.some((value, index) => !sameValue(value, b[index]!))) {
      differ(`${file}:${line + 1}\n  before ${left[line]}\n  after  ${right[line]}`);
    }
  }
}

function compareJson(file: string): void {
  const strip = (value: Record<string, unknown>) => {
    if (!file.endsWith('_stats.json')) return value;
    const { seconds: _seconds, runId: _runId, silver, ...rest } = value;
    return { ...rest, silver: silver === null ? null : { ...(silver as Record<string, unknown>), seconds: 0 } };
  };
  const a = JSON.stringify(strip(JSON.parse(readFileSync(join(before!, file), 'utf8'))));
  const b = JSON.stringify(strip(JSON.parse(readFileSync(join(after!, file), 'utf8'))));
  if (a !== b) differ(`${file}: JSON differs`);
}

async function compareParquet(session: DuckDbSession, file: string): Promise<void> {
  const read = (root: string) => `read_parquet(${sqlString(join(root, file))})`;
  const describe = async (root: string) => JSON.stringify(await session.rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${read(root)})`));
  if ((await describe(before!)) !== (await describe(after!))) {
    differ(`${file}: schema differs\n  before ${await describe(before!)}\n  after  ${await describe(after!)}`);
    return;
  }
  const columns = (await session.columnNames(`SELECT * FROM ${read(before!)}`)).filter((name) => name !== 'basket_id');
  const [counts] = await session.rows(`SELECT (SELECT COUNT(*) FROM ${read(before!)}) AS a, (SELECT COUNT(*) FROM ${read(after!)}) AS b`);
  if (counts!.a !== counts!.b) differ(`${file}: ${counts!.a} rows before, ${counts!.b} after`);
  const hasOrderKey = (await session.columnNames(`SELECT * FROM ${read(before!)}`)).includes('basket_id');
  const key = hasOrderKey ? 'basket_id' : 'row_number() OVER ()';
  const mismatch = columns
    .map((name) => {
      const [a, b] = [`x."${name}"`, `y."${name}"`];
      return `(${a} IS DISTINCT FROM ${b} AND NOT (TRY_CAST(${a} AS DOUBLE) IS NOT NULL AND ABS(CAST(${a} AS DOUBLE) - CAST(${b} AS DOUBLE)) <= ${RELATIVE_TOLERANCE} * GREATEST(1, ABS(CAST(${a} AS DOUBLE)), ABS(CAST(${b} AS DOUBLE)))))`;
    })
    .join(' OR ');
  const rows = await session.rows(
    `SELECT x.k, x.rn AS before_row, y.rn AS after_row FROM (SELECT *, ${key} AS k, row_number() OVER () AS rn FROM ${read(before!)}) x
     FULL JOIN (SELECT *, ${key} AS k, row_number() OVER () AS rn FROM ${read(after!)}) y ON x.k = y.k
     WHERE x.k IS NULL OR y.k IS NULL OR x.rn <> y.rn OR ${mismatch} LIMIT 5`,
  );
  for (const row of rows) differ(`${file}: row ${JSON.stringify(row)} differs (missing, moved or a value beyond tolerance)`);
}

const [left, right] = [files(before), files(after)];
if (JSON.stringify(left) !== JSON.stringify(right)) differ(`file lists differ:\n  before ${left.join(' ')}\n  after  ${right.join(' ')}`);
const session = await DuckDbSession.open();
try {
  for (const file of left.filter((name) => right.includes(name))) {
    if (file.endsWith('.csv')) compareCsv(file);
    else if (file.endsWith('.json')) compareJson(file);
    else if (file.endsWith('.parquet')) await compareParquet(session, file);
    else differ(`${file}: not a CSV, JSON or Parquet file`);
  }
} finally {
  session.close();
}
console.log(differences.length === 0 ? `equal: ${left.length} files` : `${differences.length} difference(s)`);
process.exit(differences.length === 0 ? 0 : 1);
