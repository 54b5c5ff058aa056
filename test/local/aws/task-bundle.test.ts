/**
 * The task Lambdas run from a cached bundle of tasks/ in the CLI's process, and their SDK
 * clients are still routed by local/: the client hooks module is shared, not copied.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TASK_BUNDLE_CACHE_ENV, TASK_BUNDLE_ENV } from '../../../local/aws/task-bundle.js';

const child = fileURLToPath(new URL('./support/invoke-bundled-task.ts', import.meta.url));
// A cache of its own: a build lock held by another test's process would make it run the sources.
const cacheDir = mkdtempSync(join(tmpdir(), 'pricesense-task-bundle-'));

function invoke(env: Record<string, string>): { seen: string[]; errorType: string; fromBundle: string[] } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', env: { ...process.env, [TASK_BUNDLE_CACHE_ENV]: cacheDir, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop()!) as { seen: string[]; errorType: string; fromBundle: string[] };
}

describe('task Lambdas from the bundle', () => {
  it('load from the bundle, with the clients they create routed through the shared hooks', () => {
    const bundled = invoke({ [TASK_BUNDLE_ENV]: '1' });

    expect(bundled.fromBundle).toEqual(['evaluate-model']);
    expect(bundled.seen).toEqual(['s3', 'sagemaker']);
    // The handler ran and rejected the empty event: it was loaded, not a Runtime.ImportModuleError.
    expect(bundled.errorType).not.toMatch(/^Runtime\./);
  }, 120_000);

  it('load from the sources without the variable (no TypeScript loader, e.g. Vitest), the same way', () => {
    const sources = invoke({ [TASK_BUNDLE_ENV]: '' });

    expect(sources.fromBundle).toEqual([]);
    expect(sources.seen).toEqual(['s3', 'sagemaker']);
    expect(sources.errorType).toBe(invoke({ [TASK_BUNDLE_ENV]: '1' }).errorType);
  }, 120_000);
});
