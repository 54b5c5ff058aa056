/** Zero-based invocation numbers a mocked response entry covers, both ends included. */
export interface InvocationRange {
  first: number;
  last: number;
}

const INDEX = /^(0|[1-9][0-9]*)$/;
const RANGE = /^(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$/;

/** Parses a MockedResponses key ("0" or "1-2"); returns an error sentence for anything else. */
export function parseInvocationKey(key: string): InvocationRange | string {
  const single = INDEX.exec(key);
  if (single) {
    const index = Number(single[1]);
    return { first: index, last: index };
  }
  const range = RANGE.exec(key);
  if (range) {
    const first = Number(range[1]);
    const last = Number(range[2]);
    if (first > last) return `the range starts after it ends (${first} > ${last}); write it as "${last}-${first}"`;
    return { first, last };
  }
  return 'expected an index like "0" or a range like "1-2"';
}

export function describeRange(range: InvocationRange): string {
  return range.first === range.last ? `${range.first}` : `${range.first}-${range.last}`;
}
