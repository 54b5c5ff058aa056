import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../../local/cli/commands/conformance.js';
import { UsageError } from '../../../../local/cli/usage-error.js';

// A two-case corpus written here (the AWS-recorded corpus itself stays in ../shared).
const dir = mkdtempSync(join(tmpdir(), 'pricesense-conformance-'));
const pass = { StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } };
function corpus(name: string, cases: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(cases));
  return path;
}
const matching = { id: 'ok', category: 'base', definition: pass, input: {}, expect: { status: 'SUCCEEDED', output: { ok: true } } };
const differing = { id: 'differs', category: 'base', definition: pass, input: {}, expect: { status: 'SUCCEEDED', output: { ok: false } } };

function capture(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('pricesense conformance', () => {
  it('exits 0 when every case matches, with the per-category tally', async () => {
    const lines = capture();
    expect(await run([corpus('all.json', [matching])])).toBe(0);
    expect(lines.slice(0, 1)).toEqual(['  base: 1/1']);
    expect(lines[1]).toMatch(/^aws-recorded: 1\/1 cases match AWS \(in-process, [\d.]+ s\)$/);
  });

  it('exits 1 and lists each mismatch with its first difference', async () => {
    const lines = capture();
    expect(await run([corpus('some.json', [matching, differing])])).toBe(1);
    expect(lines[0]).toBe('FAIL differs [base]: output differs at output.ok: AWS=false pricesense=true');
  });

  it('--json prints the report as one object', async () => {
    const lines = capture();
    await run([corpus('json.json', [differing]), '--json']);
    const report = JSON.parse(lines[0]!) as { total: number; matched: number; byCategory: object };
    expect([report.total, report.matched, report.byCategory]).toEqual([1, 0, { base: { matched: 0, total: 1 } }]);
  });

  it('a missing corpus is a usage error', async () => {
    await expect(run([join(dir, 'absent.json')])).rejects.toBeInstanceOf(UsageError);
  });
});
