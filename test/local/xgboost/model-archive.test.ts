import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

import { Header, type HeaderData } from 'tar';
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

  it('writes the same bytes for the same files (one mode, no owner: the same model has the same ETag)', async () => {
    const files = [{ name: 'xgboost-model', path: join(dir, 'xgboost-model') }];
    await packModelArchive(files, join(dir, 'first.tar.gz'));
    await packModelArchive(files, join(dir, 'second.tar.gz'));

    expect((await readFile(join(dir, 'first.tar.gz'))).equals(await readFile(join(dir, 'second.tar.gz')))).toBe(true);
    expect(execFileSync('tar', ['-tvzf', join(dir, 'first.tar.gz')], { encoding: 'utf8' })).toMatch(/^-rw-r--r-- 0\/0 /);
  });

  it('detects a corrupt tar header by its checksum', async () => {
    await writeFile(join(dir, 'corrupt.tar.gz'), gzipSync(Buffer.alloc(1024, 0x41)));

    await expect(unpackModelArchive(join(dir, 'corrupt.tar.gz'), join(dir, 'y'))).rejects.toThrow('tar header');
  });
});

/** A tar.gz whose headers say exactly what a hostile archive would say (tar's own Header encoder, no path rewriting). */
function handMadeArchive(entries: Array<HeaderData & { body?: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const { body = '', ...data } of entries) {
    const header = new Header({ mode: 0o644, mtime: new Date(0), size: Buffer.byteLength(body), type: 'File', ...data });
    header.encode();
    blocks.push(header.block!);
    const padded = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
    padded.write(body);
    blocks.push(padded);
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('model.tar.gz from a hostile source', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgb-hostile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function unpackHostile(name: string, entries: Array<HeaderData & { body?: string }>): Promise<{ outcome: Promise<string[]>; dest: string }> {
    await writeFile(join(dir, `${name}.tar.gz`), handMadeArchive(entries));
    const dest = join(dir, name, 'dest');
    return { outcome: unpackModelArchive(join(dir, `${name}.tar.gz`), dest), dest };
  }

  it('refuses an entry that climbs out with ../ and writes nothing outside the destination', async () => {
    const { outcome } = await unpackHostile('dotdot', [{ path: '../escaped', body: 'pwned' }]);

    await expect(outcome).rejects.toThrow(ModelArchiveError);
    await expect(outcome).rejects.toThrow('entry "../escaped" climbs out of the destination with ".."');
    expect(existsSync(join(dir, 'dotdot', 'escaped'))).toBe(false);
  });

  it('refuses an absolute entry path rather than rewriting it', async () => {
    const { outcome, dest } = await unpackHostile('absolute', [{ path: join(dir, 'absolute-target'), body: 'pwned' }]);

    await expect(outcome).rejects.toThrow(`entry ${JSON.stringify(join(dir, 'absolute-target'))} is an absolute path`);
    expect(existsSync(join(dir, 'absolute-target'))).toBe(false);
    expect(await readdir(dest)).toEqual([]);
  });

  it('refuses a symbolic link pointing out of the destination, and the file written through it', async () => {
    const { outcome, dest } = await unpackHostile('symlink', [
      { path: 'xgboost-model', type: 'SymbolicLink', linkpath: join(dir, 'symlink-target') },
      { path: 'xgboost-model', body: 'pwned' },
    ]);

    await expect(outcome).rejects.toThrow(`entry "xgboost-model" is a symbolic link to ${JSON.stringify(join(dir, 'symlink-target'))}`);
    expect(existsSync(join(dir, 'symlink-target'))).toBe(false);
    expect(await readdir(dest)).toEqual([]);
  });

  it('refuses a hard link to a file outside the destination', async () => {
    await writeFile(join(dir, 'secret'), 'secret');
    const { outcome, dest } = await unpackHostile('hardlink', [{ path: 'xgboost-model', type: 'Link', linkpath: join(dir, 'secret') }]);

    await expect(outcome).rejects.toThrow('entry "xgboost-model" is a hard link');
    expect(await readdir(dest)).toEqual([]);
  });

  it('refuses a device entry', async () => {
    const { outcome } = await unpackHostile('device', [{ path: 'xgboost-model', type: 'CharacterDevice', devmaj: 1, devmin: 3 }]);

    await expect(outcome).rejects.toThrow('entry "xgboost-model" is a CharacterDevice (a model archive holds only regular files and directories)');
  });

  it('says a truncated gzip stream is not a valid model archive', async () => {
    await writeFile(join(dir, 'whole.bin'), Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 256)));
    await packModelArchive([{ name: 'xgboost-model', path: join(dir, 'whole.bin') }], join(dir, 'whole.tar.gz'));
    const whole = await readFile(join(dir, 'whole.tar.gz'));
    await writeFile(join(dir, 'truncated.tar.gz'), whole.subarray(0, Math.floor(whole.length / 2)));

    const outcome = unpackModelArchive(join(dir, 'truncated.tar.gz'), join(dir, 'truncated'));

    await expect(outcome).rejects.toThrow(ModelArchiveError);
    await expect(outcome).rejects.toThrow(`${join(dir, 'truncated.tar.gz')} is not a valid model.tar.gz`);
  });

  it('says an uncompressed tar is not a gzip file', async () => {
    await writeFile(join(dir, 'plain.tar'), gunzipSync(handMadeArchive([{ path: 'xgboost-model', body: 'x' }])));

    await expect(unpackModelArchive(join(dir, 'plain.tar'), join(dir, 'plain-out'))).rejects.toThrow('is not a gzip file (expected model.tar.gz');
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
