/**
 * One JSON file per SageMaker resource under `<stateDir>/sagemaker/<kind>/`. Several processes
 * (a `run` and a `serve`, two runs) may share a state directory, so:
 * - create is exclusive: the record is written to a temp file and hard-linked into place, which
 *   fails atomically when the name is taken;
 * - updates are read-modify-write under a per-record lock file opened with O_EXCL;
 * - readers never see half a file (atomic rename).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../state/atomic-write.js';

/** A lock older than this is from a crashed process: break it. */
const STALE_LOCK_MS = 30_000;
const LOCK_RETRY_MS = 5;

export class RecordStore<T extends object> {
  readonly dir: string;

  constructor(stateDir: string, kind: string) {
    this.dir = join(stateDir, 'sagemaker', kind);
  }

  /** File of a record. Keys are lower-cased: SageMaker names are unique case-insensitively. */
  pathOf(key: string): string {
    return join(this.dir, `${encodeURIComponent(key.toLowerCase())}.json`);
  }

  /** Writes a new record; returns false (and writes nothing) when the key already exists. */
  async create(key: string, record: T): Promise<boolean> {
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.create-${process.pid}-${randomUUID()}`);
    await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
    try {
      await link(temp, this.pathOf(key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Synchronous read for callers outside the async emulator path (the serving side). */
  getSync(key: string): T | undefined {
    const path = this.pathOf(key);
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Applies `change` to the current record under the record's lock and writes the result.
   * `change` may return undefined to leave the record as it is. Returns the record after the
   * change, or undefined when there is no such record.
   */
  async update(key: string, change: (current: T) => T | undefined): Promise<T | undefined> {
    return this.withLock(key, async () => {
      const current = await this.get(key);
      if (current === undefined) return undefined;
      const next = change(current);
      if (next === undefined) return current;
      await writeJsonAtomic(this.pathOf(key), next);
      return next;
    });
  }

  async delete(key: string): Promise<boolean> {
    return this.withLock(key, async () => {
      try {
        await unlink(this.pathOf(key));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    });
  }

  async list(): Promise<T[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: T[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const record = await this.get(decodeURIComponent(name.slice(0, -'.json'.length)));
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  private async withLock<R>(key: string, body: () => Promise<R>): Promise<R> {
    await mkdir(this.dir, { recursive: true });
    const lockPath = `${this.pathOf(key)}.lock`;
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx');
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const age = await stat(lockPath).then(
          (info) => Date.now() - info.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) await unlink(lockPath).catch(() => undefined);
        else await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
    }
    try {
      return await body();
    } finally {
      await unlink(lockPath).catch(() => undefined);
    }
  }
}
