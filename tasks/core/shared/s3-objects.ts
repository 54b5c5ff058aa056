/** Small S3 helpers shared by the tasks: read bodies, list prefixes, recognise "not found". */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** Reads a whole object, or the first `byteCount` bytes of it when given (HTTP Range). */
export async function readObjectBytes(s3: S3Client, bucket: string, key: string, byteCount?: number): Promise<Uint8Array> {
  const response = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ...(byteCount === undefined ? {} : { Range: `bytes=0-${Math.max(0, byteCount - 1)}` }),
    }),
  );
  if (!response.Body) return new Uint8Array();
  return response.Body.transformToByteArray();
}

export async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readObjectBytes(s3, bucket, key));
}

/** Every key under a prefix, in S3's (lexicographic) order, following continuation tokens. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(continuationToken ? { ContinuationToken: continuationToken } : {}) }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return keys;
}

/** HeadObject answers a missing key with `NotFound`, GetObject with `NoSuchKey`; both are HTTP 404. */
export function isNotFoundError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404;
}

/** S3 answers 403 instead of 404 when the caller may not list the bucket. */
export function isAccessDeniedError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'Forbidden' || error.name === 'AccessDenied' || status === 403;
}

/** `"abc"` → `abc`: S3 quotes ETags in API responses, EventBridge does not. */
export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}
