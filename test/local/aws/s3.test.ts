import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3Emulator } from '../../../local/aws/s3.js';
import { localObjectPath } from '../../../local/aws/s3-location.js';

let stateDir: string;
let s3: S3Emulator;

beforeEach(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 's3-test-'));
  s3 = new S3Emulator(stateDir);
  await s3.createBucket('data-bucket');
});

async function bodyText(output: Record<string, unknown>): Promise<string> {
  return (output.Body as { transformToString(): Promise<string> }).transformToString();
}

describe('S3Emulator objects', () => {
  it('adopts a finished file as one object with the ETag an upload of it would get', async () => {
    const source = join(stateDir, 'staged.csv');
    writeFileSync(source, 'hello');

    const adopted = await s3.adoptFile('data-bucket', 'raw/staged.csv', source);
    const head = await s3.call('HeadObject', { Bucket: 'data-bucket', Key: 'raw/staged.csv' });

    expect(adopted.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    expect(head.ETag).toBe(adopted.ETag);
    expect(existsSync(source)).toBe(false);
  });

  it('returns the quoted MD5 of the body as ETag', async () => {
    const out = await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'raw/a.csv', Body: 'hello' });
    expect(out.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
  });

  it('returns body, content type and user metadata on GetObject', async () => {
    await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'raw/a.csv', Body: 'a,b\n1,2\n', ContentType: 'text/csv', Metadata: { source: 'test' } });
    const out = await s3.call('GetObject', { Bucket: 'data-bucket', Key: 'raw/a.csv' });
    expect(await bodyText(out)).toBe('a,b\n1,2\n');
    expect(out).toMatchObject({ ContentType: 'text/csv', Metadata: { source: 'test' }, ContentLength: 8 });
  });

  it('keeps metadata sidecars outside the bucket tree', async () => {
    await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'k.txt', Body: 'x', ContentType: 'text/plain' });
    const listed = await s3.call('ListObjectsV2', { Bucket: 'data-bucket' });
    expect((listed.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['k.txt']);
  });

  it('serves a byte range with ContentRange', async () => {
    await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'r.txt', Body: '0123456789' });
    const out = await s3.call('GetObject', { Bucket: 'data-bucket', Key: 'r.txt', Range: 'bytes=2-5' });
    expect(await bodyText(out)).toBe('2345');
    expect(out).toMatchObject({ ContentRange: 'bytes 2-5/10', ContentLength: 4 });
  });

  it('serves a suffix range', async () => {
    await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'r.txt', Body: '0123456789' });
    const out = await s3.call('GetObject', { Bucket: 'data-bucket', Key: 'r.txt', Range: 'bytes=-3' });
    expect(await bodyText(out)).toBe('789');
  });

  it('rejects a range past the end with InvalidRange (416)', async () => {
    await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'r.txt', Body: '0123' });
    await expect(s3.call('GetObject', { Bucket: 'data-bucket', Key: 'r.txt', Range: 'bytes=10-20' })).rejects.toMatchObject({
      name: 'InvalidRange',
      $metadata: { httpStatusCode: 416 },
    });
  });

  it('reports a missing key as NoSuchKey (404)', async () => {
    await expect(s3.call('GetObject', { Bucket: 'data-bucket', Key: 'missing' })).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
  });

  it('reports a missing bucket as NoSuchBucket', async () => {
    await expect(s3.call('PutObject', { Bucket: 'other-bucket', Key: 'k', Body: 'x' })).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('reports HeadObject on a missing key as NotFound', async () => {
    await expect(s3.call('HeadObject', { Bucket: 'data-bucket', Key: 'missing' })).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('rejects an invalid bucket name naming the value', async () => {
    await expect(s3.call('CreateBucket', { Bucket: 'Bad_Name' })).rejects.toThrow(/"Bad_Name"/);
  });

  it('copies an object with its metadata', async () => {
    await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'src.txt', Body: 'copy me', ContentType: 'text/plain' });
    await s3.call('CopyObject', { Bucket: 'data-bucket', Key: 'quarantine/src.txt', CopySource: 'data-bucket/src.txt' });
    const head = await s3.call('HeadObject', { Bucket: 'data-bucket', Key: 'quarantine/src.txt' });
    expect(head).toMatchObject({ ContentType: 'text/plain', ContentLength: 7 });
  });

  it('deletes several objects and reports them', async () => {
    await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'a/1', Body: '1' });
    await s3.call('PutObject', { Bucket: 'data-bucket', Key: 'a/2', Body: '2' });
    const out = await s3.call('DeleteObjects', { Bucket: 'data-bucket', Delete: { Objects: [{ Key: 'a/1' }, { Key: 'a/2' }] } });
    expect(out.Deleted).toEqual([{ Key: 'a/1' }, { Key: 'a/2' }]);
    expect((await s3.call('ListObjectsV2', { Bucket: 'data-bucket' })).KeyCount).toBe(0);
  });

  it('computes the ETag of a file written directly into the bucket folder', async () => {
    const path = localObjectPath(stateDir, 'data-bucket', 'direct/file.txt');
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'hello');
    const head = await s3.call('HeadObject', { Bucket: 'data-bucket', Key: 'direct/file.txt' });
    expect(head.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
  });
});

describe('S3Emulator ListObjectsV2', () => {
  beforeEach(async () => {
    for (const key of ['gold/run_id=1/a.csv', 'gold/run_id=1/b.csv', 'gold/run_id=2/a.csv', 'gold/top.txt', 'raw/x.csv']) {
      await s3.call('PutObject', { Bucket: 'data-bucket', Key: key, Body: key });
    }
  });

  it('lists keys under a prefix in sorted order', async () => {
    const out = await s3.call('ListObjectsV2', { Bucket: 'data-bucket', Prefix: 'gold/run_id=1/' });
    expect((out.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['gold/run_id=1/a.csv', 'gold/run_id=1/b.csv']);
    expect(out).toMatchObject({ KeyCount: 2, IsTruncated: false, Prefix: 'gold/run_id=1/' });
  });

  it('rolls keys up into CommonPrefixes with a delimiter', async () => {
    const out = await s3.call('ListObjectsV2', { Bucket: 'data-bucket', Prefix: 'gold/', Delimiter: '/' });
    expect(out.CommonPrefixes).toEqual([{ Prefix: 'gold/run_id=1/' }, { Prefix: 'gold/run_id=2/' }]);
    expect((out.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['gold/top.txt']);
    expect(out.KeyCount).toBe(3);
  });

  it('pages with MaxKeys and ContinuationToken', async () => {
    const first = await s3.call('ListObjectsV2', { Bucket: 'data-bucket', MaxKeys: 2 });
    const second = await s3.call('ListObjectsV2', { Bucket: 'data-bucket', MaxKeys: 2, ContinuationToken: first.NextContinuationToken });
    const third = await s3.call('ListObjectsV2', { Bucket: 'data-bucket', MaxKeys: 2, ContinuationToken: second.NextContinuationToken });
    const keys = [first, second, third].flatMap((page) => ((page.Contents ?? []) as Array<{ Key: string }>).map((c) => c.Key));
    expect(keys).toEqual(['gold/run_id=1/a.csv', 'gold/run_id=1/b.csv', 'gold/run_id=2/a.csv', 'gold/top.txt', 'raw/x.csv']);
    expect([first.IsTruncated, second.IsTruncated, third.IsTruncated]).toEqual([true, true, false]);
  });

  it('starts after StartAfter', async () => {
    const out = await s3.call('ListObjectsV2', { Bucket: 'data-bucket', StartAfter: 'gold/top.txt' });
    expect((out.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['raw/x.csv']);
  });
});
