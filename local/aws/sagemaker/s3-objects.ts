/** Reads of the local S3 zone that the SageMaker emulator needs: channel prefixes and single objects. */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { localObjectPath, parseS3Uri } from '../s3-location.js';

export interface LocalS3Object {
  key: string;
  /** Where the object's bytes are on disk. */
  path: string;
  /** Path below the prefix's last `/`, as SageMaker lays a channel's objects out. */
  relativePath: string;
}

/** Every object whose key starts with the URI's key (S3 prefix semantics), in key order. */
export async function listObjectsUnder(stateDir: string, uri: string): Promise<LocalS3Object[]> {
  const { bucket, key: prefix } = parseS3Uri(uri);
  const bucketDir = localObjectPath(stateDir, bucket);
  const prefixDirKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const startDir = localObjectPath(stateDir, bucket, prefixDirKey);
  if (!existsSync(startDir)) return [];
  const objects: LocalS3Object[] = [];
  for (const path of await walkFiles(startDir)) {
    const key = relative(bucketDir, path).split(sep).join('/');
    if (!key.startsWith(prefix)) continue;
    objects.push({ key, path, relativePath: key.slice(prefixDirKey.length) });
  }
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Local path of one object, or undefined when it does not exist. */
export function localObjectOfUri(stateDir: string, uri: string): string | undefined {
  const { bucket, key } = parseS3Uri(uri);
  const path = localObjectPath(stateDir, bucket, key);
  return existsSync(path) && statSync(path).isFile() ? path : undefined;
}

export function joinS3Uri(prefixUri: string, ...parts: string[]): string {
  const base = prefixUri.endsWith('/') ? prefixUri : `${prefixUri}/`;
  return base + parts.join('/');
}

// Dot-files and atomic-write temp files are the S3 emulator's bookkeeping, not objects.
function isBookkeeping(name: string): boolean {
  return name.startsWith('.') || name.includes('.tmp-');
}

async function walkFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (isBookkeeping(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walkFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
