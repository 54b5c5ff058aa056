/** The state directory every local command shares: `--state-dir`, else $PRICESENSE_STATE_DIR, else `.pricesense/`. */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

export const DEFAULT_STATE_DIR = '.pricesense';

/**
 * The resolved state directory, created when missing. A path that cannot hold pricesense's state
 * (a file, a read-only or unreachable directory) is a usage error (exit 2) with a sentence naming
 * the path, the problem and the way out, not a raw ENOTDIR/EROFS from deep inside a command.
 */
export function resolveStateDir(flag: string | undefined): string {
  const source = flag !== undefined ? '--state-dir' : process.env.PRICESENSE_STATE_DIR !== undefined ? 'PRICESENSE_STATE_DIR' : 'the default state directory';
  const dir = resolve(flag ?? process.env.PRICESENSE_STATE_DIR ?? DEFAULT_STATE_DIR);
  const fix = 'pass --state-dir (or set PRICESENSE_STATE_DIR to) a writable directory; it is created if missing';
  let info;
  try {
    info = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    throw new UsageError(`${source} ${dir} cannot be created (${describeFsError(error)}): ${fix}`);
  }
  if (info && !info.isDirectory()) {
    throw new UsageError(`${source} ${dir} is a file, not a directory: ${fix}`);
  }
  if (!info) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`${source} ${dir} cannot be created (${describeFsError(error)}): ${fix}`);
    }
  }
  // Probe by writing: access(W_OK) says yes to root on a read-only mount or a 0555 directory.
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw new UsageError(`${source} ${dir} is not writable (${describeFsError(error)}): ${fix}`);
  }
  return dir;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EROFS':
      return 'read-only file system';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return code ?? (error as Error).message;
  }
}
