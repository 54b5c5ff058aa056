/**
 * Every write into the state directory goes through here: write a sibling temp file, then
 * rename. Readers see the old or the new file, never half of one, even when two commands share
 * the directory or a run is killed mid-write.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Most file systems allow 255 bytes per name. */
const MAX_NAME_BYTES = 255;

let counter = 0;
/**
 * A sibling temp file (same directory, so the rename is atomic). A long name plus the suffix
 * would pass the 255-byte name limit (ENAMETOOLONG for a 240-character file name): then the temp
 * name is derived from a hash of the name instead.
 */
function tempPathFor(path: string): string {
  counter += 1;
  const suffix = `.tmp-${process.pid}-${Date.now()}-${counter}`;
  const name = basename(path);
  if (Buffer.byteLength(name) + suffix.length <= MAX_NAME_BYTES) return `${path}${suffix}`;
  return join(dirname(path), `.${createHash('sha256').update(name).digest('hex').slice(0, 24)}${suffix}`);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  await writeFile(temp, data);
  await rename(temp, path);
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  writeFileSync(temp, data);
  renameSync(temp, path);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
