/**
 * The CLI runs local/ from a cached bundle (local/cli/source-bundle.ts). A stale bundle must be
 * impossible, paths relative to import.meta.url must keep pointing at the sources, and a module
 * outside the bundled directory must exist once (task Lambdas import workflow/ as sources).
 * Each case loads the bundle in a child process, as bin/pricesense.mjs does.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REPO_ROOT } from '../../../infra/project-paths.js';
import { commandNames } from '../../../local/cli/command-files.js';
import type { BundleSpec } from '../../../local/cli/source-bundle.js';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'support', 'bundle-driver.mjs');

function drive(mode: 'project' | 'cli', argument: string, env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const out = execFileSync(process.execPath, [DRIVER, mode, argument], { encoding: 'utf8', env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

/** A project with one bundled entry importing a bundled module and one outside the bundled directory. */
function project(): { root: string; specFile: string; valueFile: string; cacheDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'source-bundle-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'local', 'cli'), { recursive: true });
  mkdirSync(join(root, 'shared'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(root, 'local', 'cli', 'main.ts'),
    "import { value } from './value.js';\nimport { shared } from '../../shared/config.js';\nexport const url: string = import.meta.url;\nexport { value, shared };\n",
  );
  const valueFile = join(root, 'local', 'cli', 'value.ts');
  writeFileSync(valueFile, "export const value: string = 'one';\n");
  writeFileSync(join(root, 'shared', 'config.ts'), 'export const shared = { created: Math.random() };\n');
  const cacheDir = join(root, 'cache');
  const spec: BundleSpec = { root, bundledDir: 'local', entries: { main: 'local/cli/main.ts' }, cacheDir };
  const specFile = join(root, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  return { root, specFile, valueFile, cacheDir };
}

function manifestKey(cacheDir: string, root: string): string {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const dir = join(cacheDir, createHash('sha256').update(root).digest('hex').slice(0, 16));
  return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { key: string }).key;
}

describe('CLI source bundle', () => {
  it('runs the bundled sources with import.meta.url of each source file and one instance of modules outside the bundle', () => {
    const { root, specFile } = project();
    expect(drive('project', specFile)).toEqual({
      bundled: true,
      value: 'one',
      url: pathToFileURL(join(root, 'local', 'cli', 'main.ts')).href,
      sharedIsTheSourceModule: true,
    });
  });

  it('an edited source is seen on the next start, even with the same size and modification time', () => {
    const { root, specFile, valueFile, cacheDir } = project();
    expect(drive('project', specFile)).toMatchObject({ bundled: true, value: 'one' });
    const before = statSync(valueFile);
    const keyBefore = manifestKey(cacheDir, root);
    writeFileSync(valueFile, "export const value: string = 'two';\n");
    utimesSync(valueFile, before.atime, before.mtime);
    expect(statSync(valueFile).size).toBe(before.size);
    expect(drive('project', specFile)).toMatchObject({ bundled: true, value: 'two' });
    expect(manifestKey(cacheDir, root)).not.toBe(keyBefore);
  });

  it('a source that does not compile leaves the sources to run (and to report the error)', () => {
    const { specFile, valueFile } = project();
    writeFileSync(valueFile, 'export const value: string = ;\n');
    expect(drive('project', specFile)).toEqual({ bundled: false });
  });

  it('a shared file that no bundled module imports (misspelled, moved) leaves the sources to run', () => {
    const { specFile } = project();
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as BundleSpec;
    writeFileSync(specFile, JSON.stringify({ ...spec, sharedFiles: ['local/cli/valeu.ts'] }));
    expect(drive('project', specFile)).toEqual({ bundled: false });
  });

  it('a shared file under the bundled directory stays its source module', () => {
    const { specFile, root } = project();
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as BundleSpec;
    writeFileSync(specFile, JSON.stringify({ ...spec, sharedFiles: ['local/cli/value.ts'] }));
    expect(drive('project', specFile)).toMatchObject({ bundled: true, value: 'one', url: pathToFileURL(join(root, 'local', 'cli', 'main.ts')).href });
  });

  it('a cache directory that cannot be created leaves the sources to run', () => {
    const { root, specFile } = project();
    const blocker = join(root, 'not-a-directory');
    writeFileSync(blocker, 'x');
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as BundleSpec;
    writeFileSync(specFile, JSON.stringify({ ...spec, cacheDir: join(blocker, 'cache') }));
    expect(drive('project', specFile)).toEqual({ bundled: false });
  });

  it('processes started together: one builds the bundle, the others run the sources meanwhile, and the next start uses the bundle', async () => {
    const { specFile } = project();
    const runs = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<string>((done, fail) =>
            execFile(process.execPath, [DRIVER, 'project', specFile], { encoding: 'utf8' }, (error, stdout) => (error ? fail(error) : done(stdout.trim().split('\n').at(-1)!))),
          ),
      ),
    );
    const seen = runs.map((line) => JSON.parse(line) as { bundled: boolean; value?: string });
    expect(seen.filter((run) => run.bundled).map((run) => run.value)).toEqual(expect.arrayContaining(['one']));
    expect(drive('project', specFile)).toMatchObject({ bundled: true, value: 'one' });
  });

  it('runs the sources while another live process holds the build lock, and takes over a lock left by a dead builder', () => {
    const { root, specFile, cacheDir } = project();
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const projectDir = join(cacheDir, createHash('sha256').update(root).digest('hex').slice(0, 16));
    mkdirSync(projectDir, { recursive: true });
    const lock = join(projectDir, 'build.lock');
    writeFileSync(lock, '');
    expect(drive('project', specFile)).toEqual({ bundled: false });

    const threeMinutesAgo = new Date(Date.now() - 180_000);
    utimesSync(lock, threeMinutesAgo, threeMinutesAgo);
    expect(drive('project', specFile)).toMatchObject({ bundled: true, value: 'one' });
  });

  it('PRICESENSE_NO_BUNDLE runs the sources', () => {
    const { specFile } = project();
    expect(drive('project', specFile, { PRICESENSE_NO_BUNDLE: '1' })).toEqual({ bundled: false });
  });

  it('the real CLI bundles main and every command, and each command loads from it', () => {
    // Inside node_modules, as the CLI's own cache: the bundle imports packages by name.
    const cacheParent = join(REPO_ROOT, 'node_modules', '.cache', 'pricesense');
    mkdirSync(cacheParent, { recursive: true });
    const cacheDir = mkdtempSync(join(cacheParent, 'cli-bundle-test-'));
    onTestFinished(() => rmSync(cacheDir, { recursive: true, force: true }));
    const result = drive('cli', cacheDir);
    const names = commandNames();
    expect(result.bundled).toBe(true);
    expect(result.entries).toEqual(['main', ...names.map((name) => `commands/${name}`)]);
    expect(result.commands).toEqual(Object.fromEntries(names.map((name) => [`commands/${name}`, ['string', 'string', 'function']])));
  });
});

describe('the bundle key', () => {
  it('changes with the esbuild version that builds it (an npm install of another esbuild is a rebuild)', async () => {
    const { bundleKey } = await import('../../../local/cli/source-bundle.js');
    const spec: BundleSpec = { root: '/project', bundledDir: 'local', entries: { main: 'local/cli/main.ts' }, cacheDir: '/cache' };
    const hashes = new Map([['local/cli/main.ts', 'a'.repeat(64)]]);

    expect(bundleKey(spec, hashes, '0.25.0')).not.toBe(bundleKey(spec, hashes, '0.25.1'));
    expect(bundleKey(spec, hashes, '0.25.0')).toBe(bundleKey(spec, hashes, '0.25.0'));
  });
});
