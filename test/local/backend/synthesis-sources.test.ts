/**
 * The import graph of synthesis is remembered between processes and asked of esbuild again only
 * when a file it lists no longer has the content it had.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesisSources } from '../../../local/backend/synthesis-cache.js';

describe('synthesisSources', () => {
  it('reuses the remembered import graph while every file has the same content', () => {
    const memo = join(mkdtempSync(join(tmpdir(), 'pricesense-sources-')), 'memo.json');

    const first = synthesisSources(memo);
    const second = synthesisSources(memo);

    expect(first.reused).toBe(false);
    expect(first.inputs).toContain('infra/synthesize.ts');
    expect(first.inputs).toContain('workflow/pipeline-definition.ts');
    expect(second).toEqual({ ...first, reused: true });
  });

  it('asks esbuild again when a remembered file changed (its imports may have too)', () => {
    const memo = join(mkdtempSync(join(tmpdir(), 'pricesense-sources-')), 'memo.json');
    const fresh = synthesisSources(memo);
    // As if infra/synthesize.ts had other content when the graph was taken.
    const stored = JSON.parse(readFileSync(memo, 'utf8')) as { digest: string };
    writeFileSync(memo, JSON.stringify({ ...stored, digest: '0'.repeat(64) }));

    const again = synthesisSources(memo);

    expect(again).toEqual({ ...fresh, reused: false });
  });
});
