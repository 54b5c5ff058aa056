/**
 * Local S3's API: the actions the SDK and the state machine call, over the file-system store.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { bodyToBytes, toSdkStream } from '../sdk-stream.js';
import { noSuchKey, requireString } from './errors.js';
import { listObjectsV2 } from './list-objects-v2.js';
import { S3ObjectStore, type PutObjectOptions } from './object-store.js';
import { parseRange } from './range.js';

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

export class S3Emulator extends S3ObjectStore implements AwsServiceEmulator {
  readonly service = 's3';
  readonly actions = ACTIONS;

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
        return listObjectsV2(this, input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
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
}
