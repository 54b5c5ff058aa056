import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { S3Emulator } from '../../../local/aws/s3.js';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { generateIntoRawZone, stageFileInRawZone } from '../../../local/pipeline-runner/raw-zone-staging.js';

describe('stageFileInRawZone', () => {
  it('never replaces an earlier input with different bytes: the new file gets a content-derived key', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'stage-'));
    await new S3Emulator(stateDir).ensureBucket('raw-bucket');
    const source = join(mkdtempSync(join(tmpdir(), 'src-')), 'week.csv');
    writeFileSync(source, 'first\n');
    const first = await stageFileInRawZone(stateDir, 'raw-bucket', source);
    writeFileSync(source, 'second\n');
    const second = await stageFileInRawZone(stateDir, 'raw-bucket', source);

    expect(first.key).toBe('raw/week.csv');
    expect(second.key).toMatch(/^raw\/week-[0-9a-f]{8}\.csv$/);
    expect(readFileSync(localObjectPath(stateDir, 'raw-bucket', 'raw/week.csv'), 'utf8')).toBe('first\n');
    expect(readFileSync(localObjectPath(stateDir, 'raw-bucket', second.key), 'utf8')).toBe('second\n');
  });

  it('reuses the key when the same bytes are staged again', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'stage-'));
    await new S3Emulator(stateDir).ensureBucket('raw-bucket');
    const source = join(mkdtempSync(join(tmpdir(), 'src-')), 'week.csv.gz');
    writeFileSync(source, 'same');
    await stageFileInRawZone(stateDir, 'raw-bucket', source);
    expect((await stageFileInRawZone(stateDir, 'raw-bucket', source)).key).toBe('raw/week.csv.gz');
  });

  it('stages a file edited in place to the same size, its mtime put back, as new bytes', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'stage-'));
    await new S3Emulator(stateDir).ensureBucket('raw-bucket');
    const source = join(mkdtempSync(join(tmpdir(), 'src-')), 'week.csv');
    writeFileSync(source, 'aaaa\n');
    const mtime = 1_700_000_000; // whole seconds, so putting it back restores it exactly
    utimesSync(source, mtime, mtime);
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // out of the racy window: the staging is recorded
    expect((await stageFileInRawZone(stateDir, 'raw-bucket', source)).key).toBe('raw/week.csv');
    writeFileSync(source, 'bbbb\n');
    utimesSync(source, mtime, mtime);
    expect(readdirSync(join(stateDir, 'raw-zone-staging'))).toHaveLength(1);
    const again = await stageFileInRawZone(stateDir, 'raw-bucket', source);
    expect(again.key).toMatch(/^raw\/week-[0-9a-f]{8}\.csv$/);
    expect(readFileSync(localObjectPath(stateDir, 'raw-bucket', again.key), 'utf8')).toBe('bbbb\n');
  });

  it('stages an unchanged file again from its staging record, with the same key and rename note', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'stage-'));
    await new S3Emulator(stateDir).ensureBucket('raw-bucket');
    const folder = mkdtempSync(join(tmpdir(), 'src-'));
    writeFileSync(join(folder, 'week.csv'), 'first\n');
    await stageFileInRawZone(stateDir, 'raw-bucket', join(folder, 'week.csv'));
    const other = join(mkdtempSync(join(tmpdir(), 'src-')), 'week.csv');
    writeFileSync(other, 'second\n');
    // a file changed less than 2 s ago is not recorded (it could change again without moving its times)
    const fresh = await stageFileInRawZone(stateDir, 'raw-bucket', other);
    expect(existsSync(join(stateDir, 'raw-zone-staging'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const first = await stageFileInRawZone(stateDir, 'raw-bucket', other);
    expect(first).toEqual(fresh);
    expect(readdirSync(join(stateDir, 'raw-zone-staging'))).toHaveLength(1);
    expect(await stageFileInRawZone(stateDir, 'raw-bucket', other)).toEqual(first);
    expect(first.renamedFrom).toBe('raw/week.csv');
  });

  it("records the staged object's ETag as the MD5 of its bytes, as a single-part upload would", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'stage-'));
    const s3 = new S3Emulator(stateDir);
    await s3.ensureBucket('raw-bucket');
    const source = join(mkdtempSync(join(tmpdir(), 'src-')), 'week.csv');
    writeFileSync(source, 'SHOP_WEEK\n200607\n');
    const { key } = await stageFileInRawZone(stateDir, 'raw-bucket', source);
    // md5("SHOP_WEEK\n200607\n"), computed by `printf 'SHOP_WEEK\n200607\n' | md5sum`
    expect((await s3.objectMeta('raw-bucket', key))?.ETag).toBe('"1606f5876cb690922319703011c70f75"');
  });

  it('stages the new bytes under a content-derived key when the object at the key was changed behind the emulator', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'stage-'));
    await new S3Emulator(stateDir).ensureBucket('raw-bucket');
    const source = join(mkdtempSync(join(tmpdir(), 'src-')), 'week.csv');
    writeFileSync(source, 'original\n');
    await stageFileInRawZone(stateDir, 'raw-bucket', source);
    // a file written over the object without the emulator: its sidecar ETag is stale
    writeFileSync(localObjectPath(stateDir, 'raw-bucket', 'raw/week.csv'), 'tampered\n');
    const again = await stageFileInRawZone(stateDir, 'raw-bucket', source);
    expect(again.key).toMatch(/^raw\/week-[0-9a-f]{8}\.csv$/);
    expect(readFileSync(localObjectPath(stateDir, 'raw-bucket', again.key), 'utf8')).toBe('original\n');
  });
});

describe('generateIntoRawZone', () => {
  it('generates once per parameters and leaves no temporary file behind', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'gen-'));
    await new S3Emulator(stateDir).ensureBucket('raw-bucket');
    const first = await generateIntoRawZone(stateDir, 'raw-bucket', { rows: 2_000, seed: 3, labelNoise: 0.05 });
    const again = await generateIntoRawZone(stateDir, 'raw-bucket', { rows: 2_000, seed: 3, labelNoise: 0.05 });

    expect(first.reused).toBe(false);
    expect(again).toMatchObject({ reused: true, key: first.key });
    expect(again.manifest.rows).toBe(2_000);
    expect(readdirSync(join(stateDir, 'tmp'))).toEqual([]);
  });
});

describe('staging under concurrency and long names (issue 14, cases 1 and 11)', () => {
  it('two runs staging different files of the same name at once each keep their own bytes', async () => {
    for (let trial = 0; trial < 5; trial += 1) {
      const stateDir = mkdtempSync(join(tmpdir(), 'stage-race-'));
      await new S3Emulator(stateDir).ensureBucket('raw-bucket');
      const sources = ['a', 'b'].map((tag) => {
        const path = join(mkdtempSync(join(tmpdir(), `src-${tag}-`)), 'week.csv');
        writeFileSync(path, `${tag}\n`.repeat(50_000 + trial));
        return path;
      });
      const staged = await Promise.all(sources.map((source) => stageFileInRawZone(stateDir, 'raw-bucket', source)));
      const contents = staged.map((object) => readFileSync(localObjectPath(stateDir, 'raw-bucket', object.key), 'utf8').slice(0, 2));
      expect({ distinctKeys: new Set(staged.map((object) => object.key)).size, contents }).toEqual({ distinctKeys: 2, contents: ['a\n', 'b\n'] });
    }
  });

  it('stages a file whose name is 240 characters long', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'stage-long-'));
    await new S3Emulator(stateDir).ensureBucket('raw-bucket');
    const name = `${'w'.repeat(236)}.csv`;
    const source = join(mkdtempSync(join(tmpdir(), 'src-')), name);
    writeFileSync(source, 'long\n');
    const staged = await stageFileInRawZone(stateDir, 'raw-bucket', source);
    writeFileSync(source, 'other\n');
    const renamed = await stageFileInRawZone(stateDir, 'raw-bucket', source);
    expect({
      key: staged.key,
      bytes: readFileSync(localObjectPath(stateDir, 'raw-bucket', staged.key), 'utf8'),
      renamed: readFileSync(localObjectPath(stateDir, 'raw-bucket', renamed.key), 'utf8'),
      head: (await new S3Emulator(stateDir).call('HeadObject', { Bucket: 'raw-bucket', Key: staged.key })).ContentLength,
    }).toEqual({ key: `raw/${name}`, bytes: 'long\n', renamed: 'other\n', head: 5 });
  });
});
