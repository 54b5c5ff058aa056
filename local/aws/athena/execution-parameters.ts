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

export function bindExecutionParameters(sql: string, parameters: readonly string[]): string {
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
