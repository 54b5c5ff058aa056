/**
 * What a file staged into the raw zone was, so staging the unchanged file again costs two stats
 * instead of reading it whole (a 2.67M-row CSV is 380 MB: ~1.2 s to copy and hash; 26.7M rows
 * ~12 s). "Unchanged" is what make and rsync trust, made stricter: the same path, device, inode,
 * size, mtime and ctime (ctime moves on every write, even one that puts mtime back), and the
 * object staged from it still holding the ETag recorded then. Anything else stages afresh.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../state/atomic-write.js';

export interface StagedFileRecord {
  source: FileFingerprint;
  bucket: string;
  key: string;
  /** The object's ETag when it was staged (quoted MD5). */
  etag: string;
  /** The key the file's name asked for, when it was staged under a content-derived key instead. */
  renamedFrom?: string;
}

export interface FileFingerprint {
  path: string;
  dev: string;
  ino: string;
  size: number;
  mtimeNs: string;
  ctimeNs: string;
}

export async function fingerprintOf(file: string): Promise<FileFingerprint> {
  const path = await realpath(file);
  const info = await stat(path, { bigint: true });
  return {
    path,
    // strings: device and inode numbers can pass 2^53 (overlayfs xino)
    dev: String(info.dev),
    ino: String(info.ino),
    size: Number(info.size),
    mtimeNs: String(info.mtimeNs),
    ctimeNs: String(info.ctimeNs),
  };
}

function recordPath(stateDir: string, bucket: string, sourcePath: string): string {
  const id = createHash('sha256').update(`${bucket}\n${sourcePath}`).digest('hex').slice(0, 32);
  return join(stateDir, 'raw-zone-staging', `${id}.json`);
}

/** Coarsest timestamp granularity trusted (FAT's is 2 s; ext4 without multigrain timestamps ~4 ms). */
const RACY_WINDOW_MS = 2_000;

const sameFile = (a: FileFingerprint, b: FileFingerprint): boolean =>
  (Object.keys(a) as Array<keyof FileFingerprint>).every((field) => a[field] === b[field]);

/** The record of an earlier staging of exactly this file into `bucket`, if the file has not changed since. */
export async function findUnchangedStaging(stateDir: string, bucket: string, source: FileFingerprint): Promise<StagedFileRecord | undefined> {
  const stored = await readFile(recordPath(stateDir, bucket, source.path), 'utf8')
    .then((text) => JSON.parse(text) as StagedFileRecord)
    .catch(() => undefined);
  return stored && stored.bucket === bucket && sameFile(stored.source, source) ? stored : undefined;
}

/**
 * Remembers that the file of fingerprint `before` (taken before its copy was read) was staged as
 * `staged`, unless it changed while it was copied: then nothing is remembered.
 */
export async function rememberStaging(stateDir: string, before: FileFingerprint, staged: Omit<StagedFileRecord, 'source'>): Promise<void> {
  const after = await fingerprintOf(before.path).catch(() => undefined);
  if (!after || !sameFile(before, after)) return;
  // A file changed within the file system's timestamp granularity of now could change again
  // without moving its times (git's "racy" case): such a file is copied again next time.
  if (Date.now() * 1e6 - Number(before.ctimeNs) < RACY_WINDOW_MS * 1e6) return;
  await writeJsonAtomic(recordPath(stateDir, staged.bucket, before.path), { source: before, ...staged } satisfies StagedFileRecord);
}
