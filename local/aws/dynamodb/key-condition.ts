/**
 * Query's KeyConditionExpression: `pk = :v`, optionally `AND sk <op> :w` (=, <, <=, >, >=),
 * `AND sk BETWEEN :a AND :b` or `AND begins_with(sk, :p)`; names may be `#placeholders`.
 */
import { compare, scalar, type AttributeValue } from './attribute-values.js';
import { validation } from './validation.js';

export interface KeyCondition {
  hashName: string;
  hashValue: string | number;
  /** The sort key the condition names, if any. */
  rangeName: string | undefined;
  rangeTest: (value: string | number | undefined) => boolean;
}

export function parseKeyCondition(expression: string, input: Record<string, unknown>): KeyCondition {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
  const nameOf = (token: string): string => (token.startsWith('#') ? (names[token] ?? failName(token)) : token);
  const valueOf = (token: string): string | number => {
    const value = scalar(values[token]);
    if (value === undefined) throw validation(`Value provided in ExpressionAttributeValues unused or missing: ${token}`);
    return value;
  };
  const failName = (token: string): never => {
    throw validation(`An expression attribute name used in the document path is not defined; attribute name: ${token}`);
  };
  const [hashPart, rangePart] = expression.split(/\s+AND\s+(?=(?:[#\w]+\s*(?:=|<|>|BETWEEN)|begins_with))/i);
  const hash = /^\s*([#\w.]+)\s*=\s*(:\w+)\s*$/.exec(hashPart ?? '');
  if (!hash) throw validation(`Unsupported KeyConditionExpression ${JSON.stringify(expression)}: expected "pk = :value [AND <sort key condition>]"`);
  const hashName = nameOf(hash[1]!);
  const hashValue = valueOf(hash[2]!);
  let rangeTest: (v: string | number | undefined) => boolean = () => true;
  let rangeName: string | undefined;
  if (rangePart) {
    const between = /^\s*([#\w.]+)\s+BETWEEN\s+(:\w+)\s+AND\s+(:\w+)\s*$/i.exec(rangePart);
    const begins = /^\s*begins_with\s*\(\s*([#\w.]+)\s*,\s*(:\w+)\s*\)\s*$/i.exec(rangePart);
    const op = /^\s*([#\w.]+)\s*(=|<=|>=|<|>)\s*(:\w+)\s*$/.exec(rangePart);
    if (between) {
      rangeName = nameOf(between[1]!);
      const low = valueOf(between[2]!);
      const high = valueOf(between[3]!);
      rangeTest = (v) => v !== undefined && compare(v, low) >= 0 && compare(v, high) <= 0;
    } else if (begins) {
      rangeName = nameOf(begins[1]!);
      const prefix = String(valueOf(begins[2]!));
      rangeTest = (v) => typeof v === 'string' && v.startsWith(prefix);
    } else if (op) {
      rangeName = nameOf(op[1]!);
      const bound = valueOf(op[3]!);
      const test: Record<string, (c: number) => boolean> = { '=': (c) => c === 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0 };
      rangeTest = (v) => v !== undefined && test[op[2]!]!(compare(v, bound));
    } else {
      throw validation(`Unsupported sort key condition ${JSON.stringify(rangePart)}`);
    }
  }
  return { hashName, hashValue, rangeName, rangeTest };
}
