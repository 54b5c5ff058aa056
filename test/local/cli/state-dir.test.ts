/**
 * Issue 14, case 11: a read-only state dir said "ENOENT … mkdir locks" and a --state-dir naming a
 * file gave a raw ENOTDIR with exit 1. Both are usage errors now (exit 2) with a sentence.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../local/cli/main.js';
import { resolveStateDir } from '../../../local/cli/state-dir.js';

async function exitAndError(argv: string[]): Promise<{ code: number; error: string }> {
  const errors: string[] = [];
  const spyError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  const spyLog = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return { code: await main(argv), error: errors.join('\n') };
  } finally {
    spyError.mockRestore();
    spyLog.mockRestore();
  }
}

describe('state directory problems are usage errors', () => {
  it('--state-dir naming a file: exit 2 and a sentence', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-file-')), 'not-a-dir');
    writeFileSync(file, 'x');
    const { code, error } = await exitAndError(['executions', '--state-dir', file]);
    expect({ code, first: error.split('\n')[0] }).toEqual({
      code: 2,
      first: `pricesense executions: --state-dir ${file} is a file, not a directory: pass --state-dir (or set PRICESENSE_STATE_DIR to) a writable directory; it is created if missing`,
    });
  });

  it('a state dir below a file cannot be created: exit 2 naming the reason', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-file-')), 'plain');
    writeFileSync(file, 'x');
    const { code, error } = await exitAndError(['executions', '--state-dir', join(file, 'state')]);
    expect({ code, first: error.split('\n')[0] }).toEqual({
      code: 2,
      first: `pricesense executions: --state-dir ${join(file, 'state')} cannot be created (a part of the path is a file, not a directory): pass --state-dir (or set PRICESENSE_STATE_DIR to) a writable directory; it is created if missing`,
    });
  });

  it('a state dir where nothing can be written (sysfs) is refused with a sentence, not ENOENT', () => {
    expect(() => resolveStateDir('/sys/pricesense-state')).toThrow(
      /^--state-dir \/sys\/pricesense-state cannot be created \((permission denied|read-only file system)\): pass --state-dir \(or set PRICESENSE_STATE_DIR to\) a writable directory; it is created if missing$/,
    );
  });

  it('creates a missing state dir and returns its absolute path', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'state-new-')), 'nested', 'state');
    expect(resolveStateDir(dir)).toBe(dir);
  });
});
