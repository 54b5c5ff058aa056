import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../../local/cli/commands/generate.js';
import { UsageError } from '../../../local/cli/usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'pricesense-generate-cli-'));

describe('pricesense generate', () => {
  it('writes the file and its manifest and exits 0', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await run(['--rows', '500', '--seed', '9', '--out', join(dir, 'small.csv'), '--json']);
    const printed = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
    log.mockRestore();
    expect({ code, rows: printed.rows, manifestRows: JSON.parse(readFileSync(join(dir, 'small.csv.manifest.json'), 'utf8')).rows }).toEqual({
      code: 0,
      rows: 500,
      manifestRows: 500,
    });
  });

  it.each([
    [['--seed', '1', '--out', 'x.csv'], '--rows is required (how many rows to write)'],
    [['--rows', 'ten', '--seed', '1', '--out', 'x.csv'], '--rows must be a whole number, got "ten"'],
    [['--rows', '10', '--seed', '1', '--out', 'x.csv', '--label-noise', 'lots'], '--label-noise must be a number from 0 to 1, got "lots"'],
    [['--rows', '10', '--seed', '1', '--out', 'x.txt'], 'out must be a file path ending in .csv or .csv.gz, got "x.txt"'],
  ])('treats %j as a usage error', async (argv, message) => {
    await expect(run(argv)).rejects.toThrow(new UsageError(message));
  });
});
