import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockTimeoutError, stateLockPath } from '../../../local/state/lock.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'increment-under-lock.ts');

function runChild(stateDir: string, times: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, stateDir, String(times)], { stdio: 'inherit' });
    proc.on('error', reject);
    proc.on('exit', (code) => resolve(code ?? -1));
  });
}

describe('state lock', () => {
  it('serialises read-modify-write across two processes', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lock-test-'));
    writeFileSync(join(stateDir, 'counter.txt'), '0');
    const codes = await Promise.all([runChild(stateDir, 5), runChild(stateDir, 5)]);
    expect(codes).toEqual([0, 0]);
    expect(readFileSync(join(stateDir, 'counter.txt'), 'utf8')).toBe('10');
  });

  it('takes over a lock whose owner process is gone', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lock-test-'));
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const path = stateLockPath(stateDir, 'registry');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ pid: deadPid, host: hostname(), acquiredAt: '2024-01-01T00:00:00Z', token: 'old' }));
    const release = await acquireLock(path, { timeoutMs: 1000 });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    await release();
    expect(existsSync(path)).toBe(false);
  });

  it('takes over an empty lock file left by a process killed between creating and writing it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lock-test-'));
    const path = stateLockPath(stateDir, 'registry');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(path, aMinuteAgo, aMinuteAgo);

    const release = await acquireLock(path, { timeoutMs: 1000 });

    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('waits on an empty lock file that is still young (being written by its owner)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lock-test-'));
    const path = stateLockPath(stateDir, 'registry');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');

    const error = await acquireLock(path, { timeoutMs: 50, retryMs: 10 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LockTimeoutError);
  });

  it('times out on a live holder, naming the lock and its pid', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lock-test-'));
    const path = stateLockPath(stateDir, 'registry');
    const release = await acquireLock(path);
    const error = await acquireLock(path, { timeoutMs: 50, retryMs: 10 }).catch((e: unknown) => e);
    await release();
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as Error).message).toContain(`held by pid ${process.pid}`);
  });
});
