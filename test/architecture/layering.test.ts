// Production code (tasks/, workflow/, infra/) must stand alone: the local twin may import it, never
// the other way round, or Lambda bundles would carry local-only code to AWS.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const productionFolders = ['tasks', 'workflow', 'infra'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('layering', () => {
  it('no file under tasks/, workflow/ or infra/ imports local/', () => {
    const offenders = productionFolders
      .flatMap((folder) => sourceFiles(join(root, folder)))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => spec.startsWith('.') && relative(root, resolve(file, '..', spec)).startsWith('local/'))
          .map((spec) => `${relative(root, file)} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the bundled task Lambdas contain no file from local/', async () => {
    const handlers = readdirSync(join(root, 'tasks')).filter((name) => name.endsWith('.ts'));
    expect(handlers.length).toBeGreaterThanOrEqual(6);
    const result = await build({
      entryPoints: handlers.map((name) => join(root, 'tasks', name)),
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      outdir: join(root, 'cdk.out', 'layering-check'),
      external: ['@aws-sdk/*', '@duckdb/*'],
      logLevel: 'silent',
    });
    const fromLocal = Object.keys(result.metafile!.inputs).filter((input) => input.startsWith('local/'));
    expect(fromLocal).toEqual([]);
  });
});
