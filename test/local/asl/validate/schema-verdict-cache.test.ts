/**
 * The schema check's verdicts kept between processes: a definition the schemas accepted once is
 * accepted again without compiling them (~0.4 s of every command's start-up), and a definition
 * they reject is checked, and its error built, every time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERDICT_CACHE_ENV } from '../../../../local/asl/validate/asl-schema-validator.js';

const child = fileURLToPath(new URL('./support/validate-in-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pricesense-asl-verdicts-'));
function validateInFreshProcess(definition: object, cacheFile: string): { error: string | null; compiled: boolean } {
  const file = join(dir, `definition-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(definition));
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, file], { encoding: 'utf8', env: { ...process.env, [SCHEMA_VERDICT_CACHE_ENV]: cacheFile } });
  return JSON.parse(out.trim().split('\n').pop()!) as { error: string | null; compiled: boolean };
}

const valid = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 1, Next: 'Done' }, Done: { Type: 'Succeed' } } };
// An OutputPath must be a JSONPath: a rule of the schemas, not of pricesense's own checks.
const invalid = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 1, OutputPath: 'result', Next: 'Done' }, Done: { Type: 'Succeed' } } };

describe('the ASL schema verdict cache', () => {
  it('accepts a definition it accepted before without compiling the schemas', () => {
    const cacheFile = join(dir, 'accepted-valid.json');
    expect(validateInFreshProcess(valid, cacheFile)).toEqual({ error: null, compiled: true });
    expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toHaveLength(1);

    expect(validateInFreshProcess(valid, cacheFile)).toEqual({ error: null, compiled: false });
  }, 60_000);

  it('checks a rejected definition every time, with the schema error each time', () => {
    const cacheFile = join(dir, 'accepted-invalid.json');
    validateInFreshProcess(valid, cacheFile);
    const first = validateInFreshProcess(invalid, cacheFile);
    const second = validateInFreshProcess(invalid, cacheFile);

    expect(first.error).toBe('States.Wait.OutputPath: must be a JSONPath such as $.a.b, got "result" (asl-validator schema paths.json#/definitions/asl_path/format)');
    expect(second).toEqual(first);
    expect(second.compiled).toBe(true);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toHaveLength(1);
  }, 60_000);
});
