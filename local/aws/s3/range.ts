/** The HTTP Range header of GetObject. */
import { AwsServiceError } from '../emulator.js';

/** Parses `bytes=a-b`, `bytes=a-` or `bytes=-n` against an object of `size` bytes (inclusive end). */
export function parseRange(range: string, size: number): { start: number; end: number } {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  const invalid = () =>
    new AwsServiceError('InvalidRange', `The requested range ${JSON.stringify(range)} is not satisfiable for an object of ${size} bytes`, {
      httpStatusCode: 416,
    });
  if (!match || (match[1] === '' && match[2] === '')) throw invalid();
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) throw invalid();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || start > end) throw invalid();
  return { start, end };
}
