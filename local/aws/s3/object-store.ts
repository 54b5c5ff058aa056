/**
 * The file-system backing of local S3: buckets are folders under `<stateDir>/s3/`, objects plain
 * files at `localObjectPath(stateDir, bucket, key)` so DuckDB and XGBoost read and write them
 * directly; content type, user metadata and the ETag live in sidecars under `<stateDir>/s3-meta/`
 * so the bucket tree holds only object bytes. Other emulators call these methods directly.
 *
 * Limits of a file-system backing: a key and a "folder" of the same name (`a` and `a/b`) cannot
 * coexist, and keys ending in `/` (console folder markers) are accepted but not listed.
 */
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AwsServiceError } from '../emulator.js';
import { localObjectPath } from '../s3-location.js';
import { writeFileAtomic, writeJsonAtomic } from '../../state/atomic-write.js';
import { noSuchBucket, noSuchKey } from './errors.js';
import { md5ETag, md5ETagOfFile } from './etag.js';

/** Sidecar record of one object; size and mtime tell whether the file changed behind our back. */
export interface ObjectMeta {
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

export class S3ObjectStore {
  constructor(protected readonly stateDir: string) {}

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
   * `md5Hex`: the MD5 of the file's bytes when the caller computed it while writing them (saves a read).
   */
  async adoptFile(bucket: string, key: string, sourcePath: string, md5Hex?: string): Promise<{ ETag: string }> {
    await this.assertBucket(bucket);
    const ETag = md5Hex ? `"${md5Hex}"` : await md5ETagOfFile(sourcePath);
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

  private metaPath(bucket: string, key: string): string {
    const root = resolve(this.stateDir, 's3-meta', bucket);
    const path = resolve(join(root, `${key}.meta.json`));
    if (!path.startsWith(root + sep)) throw new Error(`S3 key ${JSON.stringify(key)} escapes bucket ${bucket}`);
    return path;
  }

  async assertBucket(bucket: string): Promise<void> {
    if (!(await this.bucketExists(bucket))) throw noSuchBucket(bucket);
  }

  headFields(meta: ObjectMeta): Record<string, unknown> {
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
  async objectMeta(bucket: string, key: string): Promise<ObjectMeta | undefined> {
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
  async walkKeys(bucket: string, prefix: string): Promise<string[]> {
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
