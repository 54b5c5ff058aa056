/**
 * Puts data into the local raw zone the way an upload would: whole or not at all. Files are
 * written next door (`<stateDir>/tmp/`) and renamed into place, so the S3 trigger never sees half
 * a file; an object an earlier execution read is never replaced by different bytes.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, extname, join } from 'node:path';
import { S3Emulator } from '../aws/s3.js';
import { localObjectPath } from '../aws/s3-location.js';
import { generateDataset } from '../generator/generate-dataset.js';
import { manifestPathFor, type Manifest } from '../generator/manifest.js';
import { RAW_PREFIX } from '../../workflow/s3-layout.js';
import { withStateLock } from '../state/lock.js';
import { findUnchangedStaging, fingerprintOf, rememberStaging } from './staged-file-record.js';

export interface RawObject {
  bucket: string;
  key: string;
}

/**
 * Copies `from` to `to` and returns the MD5 (hex) of the bytes copied, in one read of the file:
 * the digest is of exactly what was staged, even if the source changes meanwhile, and a 380 MB
 * file costs one pass instead of three (hash, copy, ETag: ~1 s each on the 2-core dev machine).
 */
async function copyHashingMd5(from: string, to: string): Promise<string> {
  const hash = createHash('md5');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), hashing, createWriteStream(to));
  return hash.digest('hex');
}

let tempCounter = 0;

/**
 * A private temp path. The name is bounded (a 240-character file name plus a prefix would pass
 * the file system's 255-byte limit) and unique per process and call, so two stagings in one
 * process never share a temp file.
 */
function tempPath(stateDir: string, name: string): string {
  tempCounter += 1;
  const tail = Buffer.byteLength(name) > 120 ? createHash('sha256').update(name).digest('hex').slice(0, 16) + extensionOf(name) : name;
  return join(stateDir, 'tmp', `${process.pid}-${Date.now()}-${tempCounter}-${tail}`);
}

/**
 * Longest staged file name: the S3 emulator keeps `<name>.meta.json` beside each object, and
 * file systems allow 255 bytes per name. Longer names are staged under a shortened
 * content-addressed name (and reported as renamed).
 */
export const MAX_STAGED_NAME_BYTES = 240;

/** `<stem>-<md5 prefix><ext>`, the stem cut so the whole name fits MAX_STAGED_NAME_BYTES. */
function contentAddressedName(name: string, digest: string): string {
  const extension = extensionOf(name);
  const tail = `-${digest.slice(0, 8)}${extension}`;
  let stem = name.slice(0, name.length - extension.length);
  while (Buffer.byteLength(stem) + Buffer.byteLength(tail) > MAX_STAGED_NAME_BYTES) stem = stem.slice(0, -1);
  return `${stem}${tail}`;
}

function extensionOf(name: string): string {
  return name.endsWith('.csv.gz') ? '.csv.gz' : extname(name);
}

async function moveIntoPlace(temp: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await rename(temp, target);
}

/** Into the bucket through the S3 emulator, which records the ETag as an upload would. */
async function adopt(stateDir: string, bucket: string, key: string, temp: string, md5Hex?: string): Promise<void> {
  await new S3Emulator(stateDir).adoptFile(bucket, key, temp, md5Hex);
}

/** Whether the object at `key` has this ETag (its single-part MD5, kept in the emulator's sidecar). */
async function holdsEtag(stateDir: string, bucket: string, key: string, etag: string): Promise<boolean> {
  const meta = await new S3Emulator(stateDir).objectMeta(bucket, key);
  return meta?.ETag === etag;
}

/**
 * The file's data as `raw/<name>`; `raw/<stem>-<md5>.<ext>` when that key already holds other
 * bytes. Checking the key and moving the file in happen under one state-directory lock, so two
 * runs staging different files of the same name at once each get their own key (issue 14, case 1:
 * without it the second file replaced the first and both executions read it).
 */
export async function stageFileInRawZone(stateDir: string, bucket: string, file: string): Promise<RawObject & { renamedFrom?: string }> {
  const name = basename(file);
  const source = await fingerprintOf(file);
  const earlier = await findUnchangedStaging(stateDir, bucket, source);
  if (earlier && (await holdsEtag(stateDir, bucket, earlier.key, earlier.etag))) {
    return { bucket, key: earlier.key, ...(earlier.renamedFrom ? { renamedFrom: earlier.renamedFrom } : {}) };
  }
  const { etag, ...staged } = await copyIntoRawZone(stateDir, bucket, file, name);
  await rememberStaging(stateDir, source, { ...staged, etag });
  return staged;
}

/** The file's bytes as a new object, or the key that holds them already; with the object's ETag. */
async function copyIntoRawZone(stateDir: string, bucket: string, file: string, name: string): Promise<RawObject & { renamedFrom?: string; etag: string }> {
  // Copy outside the lock (the slow part); the lock covers only the check and the rename.
  const temp = tempPath(stateDir, name);
  await mkdir(dirname(temp), { recursive: true });
  try {
    const digest = await copyHashingMd5(file, temp);
    const etag = `"${digest}"`;
    return await withStateLock(stateDir, `raw-zone-${bucket}`, async () => {
      let key = `${RAW_PREFIX}${name}`;
      let renamedFrom: string | undefined;
      const existing = localObjectPath(stateDir, bucket, key);
      const tooLong = Buffer.byteLength(name) > MAX_STAGED_NAME_BYTES;
      if (tooLong || existsSync(existing)) {
        if (!tooLong && (await holdsEtag(stateDir, bucket, key, etag))) return { bucket, key, etag };
        renamedFrom = key;
        key = `${RAW_PREFIX}${contentAddressedName(name, digest)}`;
        if (existsSync(localObjectPath(stateDir, bucket, key))) return { bucket, key, renamedFrom, etag };
      }
      await adopt(stateDir, bucket, key, temp, digest);
      return { bucket, key, etag, ...(renamedFrom ? { renamedFrom } : {}) };
    });
  } finally {
    await rm(temp, { force: true });
  }
}

export interface GeneratedObject extends RawObject {
  manifest: Manifest;
  /** The same parameters were generated before: the (deterministic) file was reused, not rewritten. */
  reused: boolean;
}

/** Generated data in the raw zone, keyed by its parameters; generated once, then reused. */
export async function generateIntoRawZone(
  stateDir: string,
  bucket: string,
  params: { rows: number; seed: number; labelNoise: number },
): Promise<GeneratedObject> {
  const key = `${RAW_PREFIX}generated/seed-${params.seed}-rows-${params.rows}-noise-${params.labelNoise}.csv`;
  const target = localObjectPath(stateDir, bucket, key);
  if (existsSync(target) && existsSync(manifestPathFor(target))) {
    const manifest = JSON.parse(readFileSync(manifestPathFor(target), 'utf8')) as Manifest;
    return { bucket, key, manifest, reused: true };
  }
  const temp = tempPath(stateDir, basename(key));
  await mkdir(dirname(temp), { recursive: true });
  try {
    const manifest = await generateDataset({ ...params, out: temp });
    // The manifest first: a file without its manifest is generated again, never trusted.
    await moveIntoPlace(manifestPathFor(temp), manifestPathFor(target));
    await adopt(stateDir, bucket, key, temp);
    return { bucket, key, manifest: { ...manifest, file: target }, reused: false };
  } finally {
    await rm(temp, { force: true });
    await rm(manifestPathFor(temp), { force: true });
  }
}
