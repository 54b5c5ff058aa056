/**
 * Deterministic Step Functions execution names for raw objects. The same bucket/key/ETag always
 * gives the same name, so a duplicate S3 event meets `ExecutionAlreadyExists` instead of starting
 * a second run. Names use only `[A-Za-z0-9-]`: valid for Step Functions (1-80 characters) and
 * kept intact by the SageMaker job names derived from them.
 */
import { createHash } from 'node:crypto';
import { RAW_PREFIX } from '../../../workflow/s3-layout.js';

export const EXECUTION_NAME_MAX = 80;
const HASH_LENGTH = 16;

export function executionNameForObject(bucket: string, key: string, etag: string): string {
  const hash = createHash('sha256').update(`${bucket}\n${key}\n${etag}`).digest('hex').slice(0, HASH_LENGTH);
  const readable = key
    .replace(RAW_PREFIX, '')
    .replace(/\.csv(\.gz)?$/, '')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-');
  // Keep the end of the key: the file name says more than the folders above it.
  const room = EXECUTION_NAME_MAX - HASH_LENGTH - 1;
  const tail = readable.slice(-room).replace(/^-+|-+$/g, '');
  return tail === '' ? hash : `${tail}-${hash}`;
}
