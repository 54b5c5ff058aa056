/**
 * A cross-process lock for read-modify-write of shared records in the state directory (the
 * registry, endpoint records, EKS deployments...). Atomic writes alone stop torn files; this
 * stops lost updates when two commands update the same record.
 *
 * The lock is a file created with O_EXCL holding the owner's pid. A lock whose owner process is
 * gone (killed run) is stale and is taken over, so a crash never wedges the state directory.
 */
import { hostname } from 'node:os';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface LockOptions {
  /** Give up after this long. @default 30000 */
  timeoutMs?: number;
  /** Wait between attempts. @default 25 */
  retryMs?: number;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockOwner | undefined,
    timeoutMs: number,
  ) {
    super(
      `Could not lock ${lockPath} within ${timeoutMs} ms: held by ${holder ? `pid ${holder.pid} on ${holder.host} since ${holder.acquiredAt}` : 'an unknown owner'}. ` +
        'If no pricesense command is running, delete the lock file.',
    );
    this.name = 'LockTimeoutError';
  }
}

interface LockOwner {
  pid: number;
  host: string;
  acquiredAt: string;
  token: string;
}

let tokenCounter = 0;

/** Path of the lock guarding `name` (any string; unsafe characters are replaced). */
export function stateLockPath(stateDir: string, name: string): string {
  return join(stateDir, 'locks', `${name.replace(/[^a-zA-Z0-9._-]+/g, '_')}.lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * A lock file without a readable owner is normally one being written (microseconds). One that has
 * stayed so for this long was left by a process killed between creating and writing it.
 */
const OWNERLESS_LOCK_GRACE_MS = 2_000;

async function isStale(path: string, owner: LockOwner | undefined): Promise<boolean> {
  if (owner) return owner.host === hostname() && !isAlive(owner.pid);
  try {
    return Date.now() - (await stat(path)).mtimeMs > OWNERLESS_LOCK_GRACE_MS;
  } catch {
    return false; // gone already: the next attempt takes it
  }
}

/**
 * Takes the stale lock away. Renaming first means only one waiter wins; if what it renamed turns
 * out to be a fresh lock another waiter just created, it is put back with link (which never
 * overwrites).
 */
async function breakStaleLock(path: string, seen: LockOwner | undefined): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${Date.now()}-${++tokenCounter}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readOwner(aside);
  if (moved && moved.token !== seen?.token) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Acquires the lock at `lockPath`; resolves to a release function. */
export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryMs = options.retryMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    acquiredAt: new Date().toISOString(),
    token: `${process.pid}-${Date.now()}-${++tokenCounter}-${Math.random().toString(36).slice(2)}`,
  };
  await mkdir(dirname(lockPath), { recursive: true });
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      return async () => {
        const current = await readOwner(lockPath);
        if (current?.token === owner.token) await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readOwner(lockPath);
    if (await isStale(lockPath, holder)) {
      await breakStaleLock(lockPath, holder);
      continue;
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, holder, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

/** Runs `fn` holding the state-directory lock `name`; always releases. */
export async function withStateLock<T>(stateDir: string, name: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireLock(stateLockPath(stateDir, name), options);
  try {
    return await fn();
  } finally {
    await release();
  }
}
