/**
 * Every write into the state directory goes through here: write a sibling temp file, then
 * rename. Readers see the old or the new file, never half of one, even when two commands share
 * the directory or a run is killed mid-write.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

let counter = 0;
function tempPathFor(path: string): string {
  counter += 1;
  return `${path}.tmp-${process.pid}-${Date.now()}-${counter}`;
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
