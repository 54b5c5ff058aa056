/**
 * Keeps a rejected raw file for inspection without touching the original: a server-side copy to
 * `quarantine/<runId>/<original key>` and a `quarantine/<runId>/reason.json` saying why.
 */
import { CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { QUARANTINE_PREFIX } from '../../../workflow/s3-layout.js';

/** CopyObject copies at most 5 GB in one request; bigger objects would need a multipart copy. */
export const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;

export interface QuarantineRequest {
  bucket: string;
  key: string;
  /** Unquoted ETag of the object that was checked; the copy is conditional on it when known. */
  etag?: string;
  sizeBytes?: number;
  runId: string;
  executionName: string;
  error: { name: string; message: string; problems?: readonly string[] };
  time: Date;
}

export interface QuarantineResult {
  copyKey: string | null;
  reasonKey: string;
}

export function quarantineKeys(runId: string, key: string) {
  const root = `${QUARANTINE_PREFIX}${runId}/`;
  return { copyKey: `${root}${key}`, reasonKey: `${root}reason.json` };
}

export async function quarantineRawObject(s3: S3Client, request: QuarantineRequest): Promise<QuarantineResult> {
  const { copyKey, reasonKey } = quarantineKeys(request.runId, request.key);
  const tooBigToCopy = request.sizeBytes !== undefined && request.sizeBytes > COPY_OBJECT_MAX_BYTES;
  if (!tooBigToCopy) {
    await s3.send(
      new CopyObjectCommand({
        Bucket: request.bucket,
        Key: copyKey,
        CopySource: copySource(request.bucket, request.key),
        ...(request.etag ? { CopySourceIfMatch: `"${request.etag}"` } : {}),
      }),
    );
  }
  const reason = {
    error: request.error.name,
    message: request.error.message,
    problems: request.error.problems ?? [request.error.message],
    executionName: request.executionName,
    time: request.time.toISOString(),
    original: { bucket: request.bucket, key: request.key, etag: request.etag ?? null, sizeBytes: request.sizeBytes ?? null },
    copy: tooBigToCopy
      ? { key: null, skipped: `the object is larger than ${COPY_OBJECT_MAX_BYTES} bytes, the CopyObject limit; the original is unchanged at its key` }
      : { key: copyKey },
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: request.bucket,
      Key: reasonKey,
      Body: `${JSON.stringify(reason, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
  return { copyKey: tooBigToCopy ? null : copyKey, reasonKey };
}

/** CopySource is `bucket/key` URL-encoded, with the key's slashes kept. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
