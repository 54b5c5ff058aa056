import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ModelArchiveError, packModelArchive, unpackModelArchive } from '../../../local/xgboost/model-archive.js';
import { loadXgboostModelFromArchive } from '../../../local/xgboost/model-from-archive.js';

describe('model.tar.gz', () => {
  let dir: string;
  const model = Buffer.from(Array.from({ length: 1300 }, (_, i) => i % 251));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgb-archive-'));
    await writeFile(join(dir, 'xgboost-model'), model);
    await writeFile(join(dir, 'feature_list.json'), '["a","b"]\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips files byte for byte', async () => {
    await packModelArchive([{ name: 'xgboost-model', path: join(dir, 'xgboost-model') }, { name: 'meta/feature_list.json', path: join(dir, 'feature_list.json') }], join(dir, 'model.tar.gz'));

    const names = await unpackModelArchive(join(dir, 'model.tar.gz'), join(dir, 'out'));

    expect(names).toEqual(['xgboost-model', 'meta/feature_list.json']);
    expect((await readFile(join(dir, 'out', 'xgboost-model'))).equals(model)).toBe(true);
    expect(await readFile(join(dir, 'out', 'meta', 'feature_list.json'), 'utf8')).toBe('["a","b"]\n');
  });

  it('is listed by tar -tzf with xgboost-model at the root', async () => {
    await packModelArchive([{ name: 'xgboost-model', path: join(dir, 'xgboost-model') }], join(dir, 'listed.tar.gz'));

    const listing = execFileSync('tar', ['-tzf', join(dir, 'listed.tar.gz')], { encoding: 'utf8' });

    expect(listing).toBe('xgboost-model\n');
  });

  it('reads an archive written by tar', async () => {
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'xgboost-model'), model);
    execFileSync('tar', ['-czf', join(dir, 'by-tar.tar.gz'), '-C', join(dir, 'src'), 'xgboost-model']);

    const names = await unpackModelArchive(join(dir, 'by-tar.tar.gz'), join(dir, 'from-tar'));

    expect(names).toEqual(['xgboost-model']);
    expect((await readFile(join(dir, 'from-tar', 'xgboost-model'))).equals(model)).toBe(true);
  });

  it('refuses an entry name that climbs out of the destination', async () => {
    await expect(packModelArchive([{ name: '../evil', path: join(dir, 'xgboost-model') }], join(dir, 'evil.tar.gz'))).rejects.toThrow(
      'entry name "../evil" is not allowed',
    );
  });

  it('says a non-gzip file is not a model archive', async () => {
    await writeFile(join(dir, 'plain.tar.gz'), 'not gzip');

    await expect(unpackModelArchive(join(dir, 'plain.tar.gz'), join(dir, 'x'))).rejects.toThrow(ModelArchiveError);
  });

  it('detects a corrupt tar header by its checksum', async () => {
    await writeFile(join(dir, 'corrupt.tar.gz'), gzipSync(Buffer.alloc(1024, 0x41)));

    await expect(unpackModelArchive(join(dir, 'corrupt.tar.gz'), join(dir, 'y'))).rejects.toThrow('tar header');
  });
});

describe('loadXgboostModelFromArchive', () => {
  it('says which files an archive without xgboost-model holds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xgb-archive-load-'));
    try {
      await writeFile(join(dir, 'notes.txt'), 'x');
      await packModelArchive([{ name: 'notes.txt', path: join(dir, 'notes.txt') }], join(dir, 'model.tar.gz'));

      await expect(loadXgboostModelFromArchive(join(dir, 'model.tar.gz'), join(dir, 'out'))).rejects.toThrow(`${join(dir, 'model.tar.gz')} has no xgboost-model at its root (it holds: notes.txt)`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
