/**
 * ListObjectsV2: keys in UTF-8 order after StartAfter or the continuation token, rolled up into
 * CommonPrefixes by Delimiter, MaxKeys entries a page (a rolled-up prefix counts once).
 */
import { AwsServiceError } from '../emulator.js';
import { requireString } from './errors.js';
import type { S3ObjectStore } from './object-store.js';

export async function listObjectsV2(store: S3ObjectStore, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const bucket = requireString(input, 'Bucket', 'ListObjectsV2');
  const prefix = typeof input.Prefix === 'string' ? input.Prefix : '';
  const delimiter = typeof input.Delimiter === 'string' && input.Delimiter.length > 0 ? input.Delimiter : undefined;
  const maxKeys = input.MaxKeys === undefined ? 1000 : Number(input.MaxKeys);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw new AwsServiceError('InvalidArgument', `MaxKeys must be a non-negative integer, got ${JSON.stringify(input.MaxKeys)}`);
  }
  let after = typeof input.StartAfter === 'string' ? input.StartAfter : '';
  if (typeof input.ContinuationToken === 'string') {
    const decoded = Buffer.from(input.ContinuationToken, 'base64url').toString('utf8');
    if (!decoded.startsWith('k:')) {
      throw new AwsServiceError('InvalidArgument', `The continuation token ${JSON.stringify(input.ContinuationToken)} is not one this bucket returned`);
    }
    after = decoded.slice(2);
  }
  await store.assertBucket(bucket);
  const keys = (await store.walkKeys(bucket, prefix)).filter((key) => key > after);

  const contents: Array<Record<string, unknown>> = [];
  const commonPrefixes: Array<{ Prefix: string }> = [];
  let lastReturned: string | undefined;
  let truncated = false;
  for (const key of keys) {
    let entryPrefix: string | undefined;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) entryPrefix = key.slice(0, at + delimiter.length);
    }
    // Keys rolled up into the prefix already returned are skipped without counting.
    if (entryPrefix !== undefined && commonPrefixes.at(-1)?.Prefix === entryPrefix) continue;
    if (contents.length + commonPrefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (entryPrefix !== undefined) {
      commonPrefixes.push({ Prefix: entryPrefix });
      // Resume after every key under this prefix: the highest possible key with it.
      lastReturned = `${entryPrefix}\u{10FFFF}`;
    } else {
      const meta = await store.objectMeta(bucket, key);
      if (!meta) continue;
      contents.push({ Key: key, LastModified: new Date(meta.mtimeMs), ETag: meta.ETag, Size: meta.size, StorageClass: 'STANDARD' });
      lastReturned = key;
    }
  }
  const out: Record<string, unknown> = {
    IsTruncated: truncated,
    Name: bucket,
    Prefix: prefix,
    MaxKeys: maxKeys,
    KeyCount: contents.length + commonPrefixes.length,
  };
  if (contents.length > 0) out.Contents = contents;
  if (commonPrefixes.length > 0) out.CommonPrefixes = commonPrefixes;
  if (delimiter) out.Delimiter = delimiter;
  if (typeof input.ContinuationToken === 'string') out.ContinuationToken = input.ContinuationToken;
  if (typeof input.StartAfter === 'string') out.StartAfter = input.StartAfter;
  if (truncated && lastReturned !== undefined) out.NextContinuationToken = Buffer.from(`k:${lastReturned}`, 'utf8').toString('base64url');
  return out;
}
