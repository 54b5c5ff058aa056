/** DynamoDB's AttributeValue shapes (`{S: "..."}`, `{N: "1.5"}`) and the scalar of a key attribute. */

export type AttributeValue = { S: string } | { N: string } | { BOOL: boolean } | { NULL: true } | { M: Record<string, AttributeValue> } | { L: AttributeValue[] } | { SS: string[] } | { NS: string[] } | Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

/** Comparable scalar of a key attribute (S/N/B only, as DynamoDB keys allow). */
export function scalar(value: AttributeValue | undefined): string | number | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.S === 'string') return v.S;
  if (typeof v.N === 'string') return Number(v.N);
  if (typeof v.B === 'string') return v.B;
  return undefined;
}

export function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
