/**
 * `model.tar.gz` as SageMaker writes and reads it (files at the archive root, `xgboost-model`
 * among them): a small POSIX ustar writer and reader on node:zlib, no dependency.
 *
 * A ustar entry is a 512-byte header (name, octal mode/size/mtime, checksum, type, "ustar\0" "00")
 * followed by the data padded to 512 bytes; two zero blocks end the archive.
 */

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const BLOCK = 512;
const gunzipAsync = promisify(gunzip);

export class ModelArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelArchiveError';
  }
}

function assertSafeName(name: string, where: string): void {
  const parts = name.split('/');
  if (name === '' || name.startsWith('/') || parts.includes('..') || name.includes('\0') || name.includes('\\')) {
    throw new ModelArchiveError(`${where}: entry name ${JSON.stringify(name)} is not allowed (expected a relative path without ".." or backslashes)`);
  }
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  // length - 1 octal digits, then NUL
  header.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'latin1');
}

function ustarHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) {
      throw new ModelArchiveError(`entry name ${JSON.stringify(name)} is too long for ustar (at most 100 bytes, or a 155-byte directory plus a 100-byte name)`);
    }
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  header.write(base, 0, 100, 'utf8');
  writeOctal(header, 0o644, 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeOctal(header, size, 124, 12);
  writeOctal(header, mtimeSeconds, 136, 12);
  header.fill(0x20, 148, 156); // checksum counts its own field as spaces
  header.write('0', 156, 1, 'latin1');
  header.write('ustar\0', 257, 6, 'latin1');
  header.write('00', 263, 2, 'latin1');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return header;
}

async function* archiveBlocks(files: Array<{ name: string; path: string; size: number }>): AsyncGenerator<Buffer> {
  const mtime = Math.floor(Date.now() / 1000);
  for (const file of files) {
    yield ustarHeader(file.name, file.size, mtime);
    let written = 0;
    for await (const chunk of createReadStream(file.path)) {
      written += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (written !== file.size) throw new ModelArchiveError(`${file.path} changed size while being archived`);
    const padding = (BLOCK - (file.size % BLOCK)) % BLOCK;
    if (padding > 0) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** Writes `tarGzPath` (atomically: readers never see half an archive) holding each file under its `name`. */
export async function packModelArchive(files: Array<{ name: string; path: string }>, tarGzPath: string): Promise<void> {
  if (files.length === 0) throw new ModelArchiveError('packModelArchive: no files given (expected at least xgboost-model)');
  const seen = new Set<string>();
  const entries: Array<{ name: string; path: string; size: number }> = [];
  for (const file of files) {
    assertSafeName(file.name, 'packModelArchive');
    if (seen.has(file.name)) throw new ModelArchiveError(`packModelArchive: entry name ${JSON.stringify(file.name)} is given twice`);
    seen.add(file.name);
    const info = await stat(file.path).catch(() => {
      throw new ModelArchiveError(`packModelArchive: ${file.path} (for entry ${JSON.stringify(file.name)}) does not exist`);
    });
    if (!info.isFile()) throw new ModelArchiveError(`packModelArchive: ${file.path} is not a regular file`);
    entries.push({ ...file, size: info.size });
  }
  await mkdir(dirname(resolve(tarGzPath)), { recursive: true });
  const temp = `${tarGzPath}.tmp-${process.pid}-${Date.now()}`;
  await pipeline(Readable.from(archiveBlocks(entries)), createGzip(), createWriteStream(temp));
  await rename(temp, tarGzPath);
}

function readString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  return block.toString('utf8', offset, end >= 0 && end < offset + length ? end : offset + length);
}

function readOctal(block: Buffer, offset: number, length: number, where: string): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new ModelArchiveError(`${where}: corrupt tar header (octal field ${JSON.stringify(text)})`);
  return text === '' ? 0 : parseInt(text, 8);
}

/**
 * Extracts the regular files of a tar.gz into `destDir` and returns their relative paths in archive
 * order. Rejects entries that would escape `destDir` and archives that are not gzip-compressed tar.
 */
export async function unpackModelArchive(tarGzPath: string, destDir: string): Promise<string[]> {
  let tar: Buffer;
  try {
    tar = await gunzipAsync(await readFile(tarGzPath));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ModelArchiveError(`${tarGzPath} does not exist`);
    throw new ModelArchiveError(`${tarGzPath} is not a gzip file (expected model.tar.gz): ${(error as Error).message}`);
  }
  const root = resolve(destDir);
  await mkdir(root, { recursive: true });
  const extracted: string[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    const where = `${tarGzPath} at byte ${offset}`;
    if (readOctal(header, 148, 8, where) !== sum) throw new ModelArchiveError(`${where}: tar header checksum mismatch (not a tar archive or corrupt)`);
    const size = readOctal(header, 124, 12, where);
    const type = String.fromCharCode(header[156]!);
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new ModelArchiveError(`${where}: archive is truncated`);
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') {
      longName = readString(data, 0, data.length);
      continue;
    }
    const prefix = readString(header, 345, 155);
    const name = (longName ?? (prefix ? `${prefix}/${readString(header, 0, 100)}` : readString(header, 0, 100))).replace(/^\.\//, '');
    longName = undefined;
    if (type !== '0' && type !== '\0') continue; // directories, links, pax metadata: nothing to extract
    assertSafeName(name, tarGzPath);
    const target = join(root, name);
    if (!target.startsWith(root + sep)) throw new ModelArchiveError(`${tarGzPath}: entry ${JSON.stringify(name)} would be written outside ${root}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
    extracted.push(name);
  }
  return extracted;
}
