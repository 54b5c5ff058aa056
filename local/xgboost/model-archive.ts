/**
 * `model.tar.gz` as SageMaker writes and reads it: regular files at the archive root
 * (`xgboost-model` among them), gzip-compressed. Reading and writing tar is left to the `tar`
 * package (npm's own, hardened against hostile archives); this module adds the model archive's
 * rules on top: gzip only, regular files and directories only, no entry outside the destination.
 */

import { open, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, posix, relative, resolve } from 'node:path';

import { create as createTar, extract as extractTar, type ReadEntry, type WriteEntry } from 'tar';

export class ModelArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelArchiveError';
  }
}

/** Why an entry name may not be written under a destination, or undefined when it may. */
function unsafeNameReason(name: string): string | undefined {
  if (name === '' || name.includes('\0') || name.includes('\\')) return 'is empty or holds a NUL or a backslash';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out of the destination with ".."';
  return undefined;
}

function assertSafeName(name: string, where: string): void {
  const reason = unsafeNameReason(name);
  if (reason !== undefined) {
    throw new ModelArchiveError(`${where}: entry name ${JSON.stringify(name)} is not allowed: it ${reason} (expected a relative path without ".." or backslashes)`);
  }
}

// The archive's bytes depend only on the files' names, contents and mtimes: no owner, no
// device/inode, one mode. The same model packed twice has the same ETag.
const ENTRY_MODE = 0o644;

/** Writes `tarGzPath` (atomically: readers never see half an archive) holding each file under its `name`, in the order given. */
export async function packModelArchive(files: Array<{ name: string; path: string }>, tarGzPath: string): Promise<void> {
  if (files.length === 0) throw new ModelArchiveError('packModelArchive: no files given (expected at least xgboost-model)');
  const seen = new Set<string>();
  // tar names an entry after the path it reads; each source path maps back to the name(s) it was given.
  const namesBySource = new Map<string, string[]>();
  for (const file of files) {
    assertSafeName(file.name, 'packModelArchive');
    if (seen.has(file.name)) throw new ModelArchiveError(`packModelArchive: entry name ${JSON.stringify(file.name)} is given twice`);
    seen.add(file.name);
    const info = await stat(file.path).catch(() => {
      throw new ModelArchiveError(`packModelArchive: ${file.path} (for entry ${JSON.stringify(file.name)}) does not exist`);
    });
    if (!info.isFile()) throw new ModelArchiveError(`packModelArchive: ${file.path} is not a regular file`);
    const source = resolve(file.path);
    namesBySource.set(source, [...(namesBySource.get(source) ?? []), file.name]);
  }
  await mkdir(dirname(resolve(tarGzPath)), { recursive: true });
  const temp = `${tarGzPath}.tmp-${process.pid}-${Date.now()}`;
  const renameEntry = (entry: WriteEntry): void => {
    const name = namesBySource.get(entry.absolute)?.shift();
    if (name === undefined) throw new ModelArchiveError(`packModelArchive: tar read ${entry.absolute}, which was not asked for`);
    entry.path = name;
    if (entry.stat !== undefined) entry.stat.mode = ENTRY_MODE;
  };
  try {
    await createTar(
      { file: temp, gzip: true, portable: true, follow: true, strict: true, cwd: '/', onWriteEntry: renameEntry },
      // "./" keeps a path starting with "@" from being read as an archive to concatenate.
      files.map((file) => `./${relative('/', resolve(file.path))}`),
    );
    await rename(temp, tarGzPath);
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof ModelArchiveError) throw error;
    throw new ModelArchiveError(`packModelArchive: writing ${tarGzPath} failed: ${(error as Error).message}`, { cause: error });
  }
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

async function assertGzip(tarGzPath: string): Promise<void> {
  const handle = await open(tarGzPath, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ModelArchiveError(error.code === 'ENOENT' ? `${tarGzPath} does not exist` : `${tarGzPath} cannot be read: ${error.message}`, { cause: error });
  });
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    if (bytesRead < 2 || !head.equals(GZIP_MAGIC)) {
      throw new ModelArchiveError(`${tarGzPath} is not a gzip file (expected model.tar.gz, a gzip-compressed tar archive)`);
    }
  } finally {
    await handle.close();
  }
}

/** Why an archive entry is refused, or undefined when it may be extracted. */
function refusedEntryReason(name: string, entry: ReadEntry): string | undefined {
  const reason = unsafeNameReason(name);
  if (reason !== undefined) return `entry ${JSON.stringify(name)} ${reason}`;
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
    const kind = entry.type === 'Link' ? 'hard link' : 'symbolic link';
    return `entry ${JSON.stringify(name)} is a ${kind} to ${JSON.stringify(entry.linkpath)} (a model archive holds only regular files and directories)`;
  }
  if (!isRegularFile(entry) && entry.type !== 'Directory') return `entry ${JSON.stringify(name)} is a ${entry.type} (a model archive holds only regular files and directories)`;
  return undefined;
}

function isRegularFile(entry: ReadEntry): boolean {
  return entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile';
}

/**
 * Extracts the regular files of a tar.gz into `destDir` and returns their relative paths in archive
 * order. Refuses (with ModelArchiveError, nothing of the refused entry written) archives that are not
 * gzip-compressed tar, corrupt or truncated ones, and entries that are links, devices, absolute paths
 * or climb out of `destDir`.
 */
export async function unpackModelArchive(tarGzPath: string, destDir: string): Promise<string[]> {
  await assertGzip(tarGzPath);
  const root = resolve(destDir);
  await mkdir(root, { recursive: true });
  const extracted: string[] = [];
  let refused: string | undefined;
  try {
    await extractTar({
      file: tarGzPath,
      cwd: root,
      // Every tar warning (bad checksum, truncation, a path it would have to rewrite) is an error here.
      strict: true,
      preserveOwner: false,
      filter: (path, entry) => {
        const name = path.replace(/^(\.\/)+/, '');
        const reason = refusedEntryReason(name, entry as ReadEntry);
        if (reason !== undefined) {
          refused ??= reason;
          return false;
        }
        if (refused !== undefined || !isRegularFile(entry as ReadEntry)) return false;
        extracted.push(posix.normalize(name));
        return true;
      },
    });
  } catch (error) {
    throw new ModelArchiveError(`${tarGzPath} is not a valid model.tar.gz (corrupt or truncated gzip or tar header): ${(error as Error).message}`, { cause: error });
  }
  if (refused !== undefined) throw new ModelArchiveError(`${tarGzPath}: ${refused}; nothing of it was extracted`);
  return extracted;
}
