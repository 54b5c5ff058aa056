/**
 * Local S3 on the file system. Objects are plain files at `localObjectPath(stateDir, bucket, key)`
 * so DuckDB and XGBoost read and write them directly; content type, user metadata and the ETag
 * live in sidecars under `<stateDir>/s3-meta/` so the bucket tree holds only object bytes.
 *
 * Limits of a file-system backing: a key and a "folder" of the same name (`a` and `a/b`) cannot
 * coexist, and keys ending in `/` (console folder markers) are accepted but not listed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from './emulator.js';
import { localObjectPath } from './s3-location.js';
import { bodyToBytes, toSdkStream } from './sdk-stream.js';
import { writeFileAtomic, writeJsonAtomic } from '../state/atomic-write.js';

const ACTIONS = [
  'CreateBucket',
  'HeadBucket',
  'ListBuckets',
  'PutObject',
  'GetObject',
  'HeadObject',
  'CopyObject',
  'DeleteObject',
  'DeleteObjects',
  'ListObjectsV2',
] as const;

/** Sidecar record of one object; size and mtime tell whether the file changed behind our back. */
interface ObjectMeta {
  ETag: string;
  ContentType?: string;
  Metadata?: Record<string, string>;
  size: number;
  mtimeMs: number;
}

export interface S3ObjectInfo {
  Key: string;
  Size: number;
  LastModified: Date;
  ETag: string;
}

export interface PutObjectOptions {
  ContentType?: string;
  Metadata?: Record<string, string>;
}

const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TEMP_FILE = /\.tmp-\d+-\d+-\d+$/;

function md5ETag(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

/** The ETag of a file of any size without holding it in memory. */
async function md5ETagOfFile(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `"${hash.digest('hex')}"`;
}

function noSuchBucket(bucket: string): AwsServiceError {
  return new AwsServiceError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, { httpStatusCode: 404 });
}

function noSuchKey(bucket: string, key: string): AwsServiceError {
  return new AwsServiceError('NoSuchKey', `The specified key does not exist: s3://${bucket}/${key}`, { httpStatusCode: 404 });
}

function requireString(input: Record<string, unknown>, field: string, action: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsServiceError('InvalidRequest', `${action} needs ${field} as a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

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

export class S3Emulator implements AwsServiceEmulator {
  readonly service = 's3';
  readonly actions = ACTIONS;

  constructor(private readonly stateDir: string) {}

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (action) {
      case 'CreateBucket':
        return this.createBucket(requireString(input, 'Bucket', action));
      case 'HeadBucket':
        return this.headBucket(requireString(input, 'Bucket', action));
      case 'ListBuckets':
        return this.listBuckets();
      case 'PutObject':
        return this.putObjectAction(input);
      case 'GetObject':
        return this.getObject(input);
      case 'HeadObject':
        return this.headObject(input);
      case 'CopyObject':
        return this.copyObject(input);
      case 'DeleteObject':
        await this.deleteObject(requireString(input, 'Bucket', action), requireString(input, 'Key', action));
        return {};
      case 'DeleteObjects':
        return this.deleteObjects(input);
      case 'ListObjectsV2':
        return this.listObjectsV2(input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  // ---- helpers other emulators may call directly -------------------------------------------

  bucketDir(bucket: string): string {
    // A name outside S3's rules (`..`, `a/b`) must never become a path: it could leave s3/.
    if (!BUCKET_NAME.test(bucket)) throw new AwsServiceError('NoSuchBucket', `The specified bucket does not exist: ${JSON.stringify(bucket)} is not a valid bucket name`, { httpStatusCode: 404 });
    return resolve(this.stateDir, 's3', bucket);
  }

  objectPath(bucket: string, key: string): string {
    return localObjectPath(this.stateDir, bucket, key);
  }

  async bucketExists(bucket: string): Promise<boolean> {
    return (await stat(this.bucketDir(bucket)).catch(() => undefined))?.isDirectory() ?? false;
  }

  async createBucket(bucket: string): Promise<Record<string, unknown>> {
    if (!BUCKET_NAME.test(bucket)) {
      throw new AwsServiceError(
        'InvalidBucketName',
        `The specified bucket is not valid: ${JSON.stringify(bucket)}. Expected 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit`,
      );
    }
    if (await this.bucketExists(bucket)) {
      throw new AwsServiceError('BucketAlreadyOwnedByYou', `Bucket ${bucket} already exists and is owned by you`, { httpStatusCode: 409 });
    }
    await mkdir(this.bucketDir(bucket), { recursive: true });
    return { Location: `/${bucket}` };
  }

  /** Creates the bucket unless it exists (bootstrap uses this to stay idempotent). */
  async ensureBucket(bucket: string): Promise<void> {
    if (!(await this.bucketExists(bucket))) await this.createBucket(bucket);
  }

  async putObject(bucket: string, key: string, body: Uint8Array | string, options: PutObjectOptions = {}): Promise<{ ETag: string }> {
    await this.assertBucket(bucket);
    if (key.endsWith('/')) {
      // A folder marker: S3 keeps it as an object, a file system can only keep the folder.
      await mkdir(this.objectPath(bucket, key), { recursive: true });
      return { ETag: md5ETag(new Uint8Array()) };
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const path = this.objectPath(bucket, key);
    await writeFileAtomic(path, bytes);
    const info = await stat(path);
    const meta: ObjectMeta = { ETag: md5ETag(bytes), size: info.size, mtimeMs: info.mtimeMs };
    if (options.ContentType !== undefined) meta.ContentType = options.ContentType;
    if (options.Metadata !== undefined) meta.Metadata = options.Metadata;
    await writeJsonAtomic(this.metaPath(bucket, key), meta);
    return { ETag: meta.ETag };
  }

  /**
   * Moves a finished file into the bucket as one object (rename: readers never see part of it)
   * and records its ETag, as an upload would; the source must be on the same file system.
   */
  async adoptFile(bucket: string, key: string, sourcePath: string): Promise<{ ETag: string }> {
    await this.assertBucket(bucket);
    const ETag = await md5ETagOfFile(sourcePath);
    const path = this.objectPath(bucket, key);
    await mkdir(dirname(path), { recursive: true });
    await rename(sourcePath, path);
    const info = await stat(path);
    await writeJsonAtomic(this.metaPath(bucket, key), { ETag, size: info.size, mtimeMs: info.mtimeMs } satisfies ObjectMeta);
    return { ETag };
  }

  async getObjectBytes(bucket: string, key: string): Promise<Buffer> {
    await this.assertBucket(bucket);
    const path = this.objectPath(bucket, key);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw noSuchKey(bucket, key);
    return readFile(path);
  }

  /** Every key under `prefix`, sorted, with size, time and ETag. */
  async listObjects(bucket: string, prefix = ''): Promise<S3ObjectInfo[]> {
    await this.assertBucket(bucket);
    const keys = await this.walkKeys(bucket, prefix);
    const out: S3ObjectInfo[] = [];
    for (const key of keys) {
      const head = await this.objectMeta(bucket, key);
      if (head) out.push({ Key: key, Size: head.size, LastModified: new Date(head.mtimeMs), ETag: head.ETag });
    }
    return out;
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.assertBucket(bucket);
    const path = this.objectPath(bucket, key);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) await rm(path, { force: true });
    await rm(this.metaPath(bucket, key), { force: true });
    await this.pruneEmptyDirs(dirname(path), this.bucketDir(bucket));
  }

  // ---- actions -----------------------------------------------------------------------------

  private async headBucket(bucket: string): Promise<Record<string, unknown>> {
    // HEAD responses carry no body, so the SDK can only report the status: NotFound.
    if (!(await this.bucketExists(bucket))) throw new AwsServiceError('NotFound', `Bucket ${bucket} does not exist`, { httpStatusCode: 404 });
    return { BucketRegion: 'us-east-1' };
  }

  private async listBuckets(): Promise<Record<string, unknown>> {
    const root = resolve(this.stateDir, 's3');
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const buckets = [];
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const info = await stat(join(root, entry.name));
      buckets.push({ Name: entry.name, CreationDate: info.birthtime.getTime() > 0 ? info.birthtime : info.mtime, BucketRegion: 'us-east-1' });
    }
    return { Buckets: buckets, Owner: { DisplayName: 'local', ID: 'local' } };
  }

  private async putObjectAction(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket', 'PutObject');
    const key = requireString(input, 'Key', 'PutObject');
    const bytes = await bodyToBytes(input.Body);
    const options: PutObjectOptions = {};
    if (typeof input.ContentType === 'string') options.ContentType = input.ContentType;
    if (input.Metadata && typeof input.Metadata === 'object') options.Metadata = input.Metadata as Record<string, string>;
    const { ETag } = await this.putObject(bucket, key, bytes, options);
    return { ETag, ServerSideEncryption: 'AES256' };
  }

  private async getObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket', 'GetObject');
    const key = requireString(input, 'Key', 'GetObject');
    await this.assertBucket(bucket);
    const meta = await this.objectMeta(bucket, key);
    if (!meta) throw noSuchKey(bucket, key);
    const path = this.objectPath(bucket, key);
    const common = this.headFields(meta);
    if (typeof input.Range === 'string' && input.Range.length > 0) {
      const { start, end } = parseRange(input.Range, meta.size);
      return {
        ...common,
        ContentLength: end - start + 1,
        ContentRange: `bytes ${start}-${end}/${meta.size}`,
        Body: toSdkStream(createReadStream(path, { start, end })),
      };
    }
    return { ...common, ContentLength: meta.size, Body: toSdkStream(meta.size === 0 ? Readable.from([]) : createReadStream(path)) };
  }

  private async headObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket', 'HeadObject');
    const key = requireString(input, 'Key', 'HeadObject');
    await this.assertBucket(bucket);
    const meta = await this.objectMeta(bucket, key);
    if (!meta) throw new AwsServiceError('NotFound', `No object at s3://${bucket}/${key}`, { httpStatusCode: 404 });
    return { ...this.headFields(meta), ContentLength: meta.size };
  }

  private async copyObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket', 'CopyObject');
    const key = requireString(input, 'Key', 'CopyObject');
    const source = decodeURIComponent(requireString(input, 'CopySource', 'CopyObject').replace(/^\//, ''));
    const slash = source.indexOf('/');
    if (slash <= 0 || slash === source.length - 1) {
      throw new AwsServiceError('InvalidArgument', `CopySource must be "bucket/key", got ${JSON.stringify(input.CopySource)}`);
    }
    const sourceBucket = source.slice(0, slash);
    const sourceKey = source.slice(slash + 1);
    const bytes = await this.getObjectBytes(sourceBucket, sourceKey);
    const sourceMeta = await this.objectMeta(sourceBucket, sourceKey);
    const replace = input.MetadataDirective === 'REPLACE';
    const options: PutObjectOptions = {};
    const contentType = replace ? input.ContentType : sourceMeta?.ContentType;
    const metadata = replace ? input.Metadata : sourceMeta?.Metadata;
    if (typeof contentType === 'string') options.ContentType = contentType;
    if (metadata && typeof metadata === 'object') options.Metadata = metadata as Record<string, string>;
    const { ETag } = await this.putObject(bucket, key, bytes, options);
    return { CopyObjectResult: { ETag, LastModified: new Date() } };
  }

  private async deleteObjects(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = requireString(input, 'Bucket', 'DeleteObjects');
    const del = input.Delete as { Objects?: Array<{ Key?: string }>; Quiet?: boolean } | undefined;
    if (!del || !Array.isArray(del.Objects) || del.Objects.length === 0 || del.Objects.length > 1000) {
      throw new AwsServiceError('MalformedXML', 'DeleteObjects needs Delete.Objects with 1 to 1000 entries of {Key}');
    }
    await this.assertBucket(bucket);
    const deleted: Array<{ Key: string }> = [];
    const errors: Array<{ Key: string | undefined; Code: string; Message: string }> = [];
    for (const entry of del.Objects) {
      if (typeof entry.Key !== 'string' || entry.Key.length === 0) {
        errors.push({ Key: entry.Key, Code: 'InvalidArgument', Message: 'Each object needs a non-empty Key' });
        continue;
      }
      await this.deleteObject(bucket, entry.Key);
      deleted.push({ Key: entry.Key });
    }
    return { Deleted: del.Quiet ? [] : deleted, Errors: errors };
  }

  private async listObjectsV2(input: Record<string, unknown>): Promise<Record<string, unknown>> {
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
    await this.assertBucket(bucket);
    const keys = (await this.walkKeys(bucket, prefix)).filter((key) => key > after);

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
        const meta = await this.objectMeta(bucket, key);
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

  // ---- internals ---------------------------------------------------------------------------

  private metaPath(bucket: string, key: string): string {
    const root = resolve(this.stateDir, 's3-meta', bucket);
    const path = resolve(join(root, `${key}.meta.json`));
    if (!path.startsWith(root + sep)) throw new Error(`S3 key ${JSON.stringify(key)} escapes bucket ${bucket}`);
    return path;
  }

  private async assertBucket(bucket: string): Promise<void> {
    if (!(await this.bucketExists(bucket))) throw noSuchBucket(bucket);
  }

  private headFields(meta: ObjectMeta): Record<string, unknown> {
    return {
      AcceptRanges: 'bytes',
      ETag: meta.ETag,
      LastModified: new Date(meta.mtimeMs),
      ContentType: meta.ContentType ?? 'binary/octet-stream',
      Metadata: meta.Metadata ?? {},
    };
  }

  /**
   * The object's sidecar, recomputed when the file was written by something other than this
   * emulator (DuckDB, XGBoost): those files get their MD5 on first look.
   */
  private async objectMeta(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    if (key.endsWith('/')) return undefined;
    const path = this.objectPath(bucket, key);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const metaPath = this.metaPath(bucket, key);
    const stored = await readFile(metaPath, 'utf8')
      .then((text) => JSON.parse(text) as ObjectMeta)
      .catch(() => undefined);
    if (stored && stored.size === info.size && stored.mtimeMs === info.mtimeMs) return stored;
    const fresh: ObjectMeta = { ...stored, ETag: await md5ETagOfFile(path), size: info.size, mtimeMs: info.mtimeMs };
    await writeJsonAtomic(metaPath, fresh).catch(() => undefined);
    return fresh;
  }

  /** Keys under `prefix`, sorted; starts the walk at the deepest folder the prefix names. */
  private async walkKeys(bucket: string, prefix: string): Promise<string[]> {
    const root = this.bucketDir(bucket);
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const start = this.objectPath(bucket, folder);
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !TEMP_FILE.test(entry.name)) {
          const key = relative(root, full).split(sep).join('/');
          if (key.startsWith(prefix)) keys.push(key);
        }
      }
    };
    await walk(start);
    return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private async pruneEmptyDirs(dir: string, stopAt: string): Promise<void> {
    let current = dir;
    while (current.startsWith(stopAt + sep)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = dirname(current);
    }
  }
}
