/**
 * Binds Athena ExecutionParameters: each `?` outside string literals, quoted identifiers and
 * comments is replaced, in order, by the parameter text as given (Athena inserts them as SQL
 * literals, which is why a string parameter arrives quoted: `'run-1'`).
 */
import { AwsServiceError } from '../emulator.js';

/** Offsets of the `?` placeholders of a query. */
export function placeholderOffsets(sql: string): number[] {
  const offsets: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const next = sql[i + 1];
    if (char === "'" || char === '"') {
      i += 1;
      while (i < sql.length) {
        if (sql[i] === char && sql[i + 1] === char) i += 2;
        else if (sql[i] === char) break;
        else i += 1;
      }
      i += 1;
    } else if (char === '-' && next === '-') {
      while (i < sql.length && sql[i] !== '\n') i += 1;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else {
      if (char === '?') offsets.push(i);
      i += 1;
    }
  }
  return offsets;
}

/** Keywords that start a clause; a `?` belongs to the clause last started at its nesting depth. */
const CLAUSE_KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'ON', 'USING', 'JOIN',
  'UNION', 'INTERSECT', 'EXCEPT', 'VALUES', 'WITH', 'WINDOW', 'QUALIFY', 'SET', 'AS', 'PARTITION',
]);

function lineAndColumn(sql: string, offset: number): string {
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/**
 * Athena accepts execution parameters only in a WHERE clause: "Currently, ? parameters can be
 * placed only in the WHERE clause. Syntax like SELECT ? FROM table is not supported."
 * (Athena User Guide, "Use parameterized queries",
 * https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html).
 * Returns the offset of the first `?` outside a WHERE clause (a subquery inside a WHERE starts
 * its own clauses), or undefined.
 */
export function placeholderOutsideWhere(sql: string): { offset: number; clause: string } | undefined {
  const allowed = new Set(placeholderOffsets(sql));
  if (allowed.size === 0) return undefined;
  // One frame per open parenthesis; a frame starts in its parent's clause.
  const frames: string[] = ['START'];
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const next = sql[i + 1];
    if (char === "'" || char === '"') {
      i += 1;
      while (i < sql.length) {
        if (sql[i] === char && sql[i + 1] === char) i += 2;
        else if (sql[i] === char) break;
        else i += 1;
      }
      i += 1;
    } else if (char === '-' && next === '-') {
      while (i < sql.length && sql[i] !== '\n') i += 1;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (char === '(') {
      frames.push(frames[frames.length - 1]!);
      i += 1;
    } else if (char === ')') {
      if (frames.length > 1) frames.pop();
      i += 1;
    } else if (/[A-Za-z_]/.test(char)) {
      let end = i + 1;
      while (end < sql.length && /[A-Za-z0-9_]/.test(sql[end]!)) end += 1;
      const word = sql.slice(i, end).toUpperCase();
      if (CLAUSE_KEYWORDS.has(word)) frames[frames.length - 1] = word;
      i = end;
    } else {
      if (char === '?' && allowed.has(i) && frames[frames.length - 1] !== 'WHERE') {
        return { offset: i, clause: frames[frames.length - 1]! };
      }
      i += 1;
    }
  }
  return undefined;
}

export function bindExecutionParameters(sql: string, parameters: readonly string[]): string {
  const misplaced = placeholderOutsideWhere(sql);
  if (misplaced) {
    const where = misplaced.clause === 'START' ? 'before any clause' : `in a ${misplaced.clause} clause`;
    throw new AwsServiceError(
      'InvalidRequestException',
      `line ${lineAndColumn(sql, misplaced.offset)}: execution parameter (?) ${where}: ? parameters can be placed only in the WHERE clause; syntax like SELECT ? FROM table is not supported`,
    );
  }
  const offsets = placeholderOffsets(sql);
  if (offsets.length !== parameters.length) {
    throw new AwsServiceError(
      'InvalidRequestException',
      `The query has ${offsets.length} parameter placeholder(s) (?) but ExecutionParameters has ${parameters.length} value(s): ${JSON.stringify(parameters)}`,
    );
  }
  let out = '';
  let from = 0;
  offsets.forEach((offset, index) => {
    out += sql.slice(from, offset) + parameters[index]!;
    from = offset + 1;
  });
  return out + sql.slice(from);
}
