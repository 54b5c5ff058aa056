/** NextToken paging for List* actions: the token is the opaque offset of the next page. */
import { validationError } from './validation.js';

export function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, defaultMax = 10): { page: T[]; nextToken?: string } {
  const limit = maxResults ?? defaultMax;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw validationError(`MaxResults must be an integer from 1 to 100, got ${JSON.stringify(maxResults)}`);
  }
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw validationError(`Invalid pagination token ${JSON.stringify(nextToken)}`);
    start = decoded;
  }
  const page = items.slice(start, start + limit);
  const end = start + page.length;
  return end < items.length ? { page, nextToken: Buffer.from(String(end)).toString('base64url') } : { page };
}
