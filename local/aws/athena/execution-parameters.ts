/**
 * Binds Athena ExecutionParameters: each `?` outside string literals, quoted identifiers and
 * comments is replaced, in order, by the parameter text as given (Athena inserts them as SQL
 * literals, which is why a string parameter arrives quoted: `'run-1'`).
 */
import { AwsServiceError } from '../emulator.js';

/**
 * If a string literal, quoted identifier or comment starts at `i`, the offset just past it;
 * otherwise `i` itself. Both scanners below skip these the same way: a `?` inside them is text.
 */
function skipQuotedOrComment(sql: string, i: number): number {
  const char = sql[i];
  const next = sql[i + 1];
  if (char === "'" || char === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === char && sql[j + 1] === char) j += 2;
      else if (sql[j] === char) break;
      else j += 1;
    }
    return j + 1;
  }
  if (char === '-' && next === '-') {
    let j = i;
    while (j < sql.length && sql[j] !== '\n') j += 1;
    return j;
  }
  if (char === '/' && next === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return i;
}

/** Offsets of the `?` placeholders of a query. */
export function placeholderOffsets(sql: string): number[] {
  const offsets: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const skipped = skipQuotedOrComment(sql, i);
    if (skipped !== i) {
      i = skipped;
    } else {
      if (sql[i] === '?') offsets.push(i);
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
    const skipped = skipQuotedOrComment(sql, i);
    if (skipped !== i) {
      i = skipped;
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
