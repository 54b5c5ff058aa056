/**
 * A cached esbuild bundle of the CLI's own modules (everything under one directory, `local/`), so
 * a command loads a few files instead of hundreds. Node 20 runs tsx's loader hooks in a worker:
 * each module's resolve and load is a round trip, and the CLI's start-up was mostly waiting on
 * them. The bundle is invisible: built on first use, rebuilt whenever any bundled source's
 * content changes, and bypassed (sources through tsx, as before) if it cannot be built or stored.
 *
 * What keeps it equivalent to running the sources:
 *   - freshness is keyed on the content of every bundled file (and the entry list), hashed from
 *     exactly the text esbuild compiled: a stale bundle is never loaded;
 *   - only files under the bundled directory go in; every other project file (workflow/, tasks/,
 *     infra/), and any file the spec names as shared, stays an import of the source file, so a
 *     module whose state the CLI and the task Lambdas share exists once;
 *   - each file's `import.meta.url` is its source file's URL, so paths relative to it still work.
 */
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bump when the bundle's layout changes (a change of this file changes every key anyway). */
const BUNDLE_FORMAT = 2;
/** Set to any value to run the sources through tsx instead (debugging the bundler itself). */
export const NO_BUNDLE_ENV = 'PRICESENSE_NO_BUNDLE';
/**
 * Bundles of other source states are removed once this old: a command started from one may still
 * load its lazily imported chunks (a long run), so not at once.
 */
const STALE_BUNDLE_AGE_MS = 24 * 60 * 60 * 1000;
const ENTRY_NAMESPACE = 'pricesense-bundle-entry';

export interface BundleSpec {
  /** Project root: the bundle's key includes it, sources outside `bundledDir` are imported from here. */
  root: string;
  /** Directory under root whose files go into the bundle (relative, e.g. `local`). */
  bundledDir: string;
  /** Module name to its file, relative to root (e.g. `commands/run` to `local/cli/commands/run.ts`). */
  entries: Record<string, string>;
  /**
   * Files under `bundledDir` (relative to root) that stay imports of their sources: modules whose
   * state the rest of the process shares (a copy in the bundle would be a second instance).
   */
  sharedFiles?: string[];
  /**
   * Where bundles are kept (one subdirectory per project root). Packages stay bare imports,
   * resolved by Node from the bundle's location: keep it inside root's node_modules so they
   * resolve to the same files as from the sources.
   */
  cacheDir: string;
}

/** Loaders of the entries, from the bundle. */
export type BundledModules = Record<string, () => Promise<unknown>>;

interface Manifest {
  format: number;
  key: string;
  entries: Record<string, string>;
  sharedFiles?: string[];
  /** Bundled files, relative to root. */
  inputs: string[];
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** This file: a change to how bundles are built is a new key too. */
const BUILDER_HASH = sha256(readFileSync(fileURLToPath(import.meta.url)));

/** The esbuild a build would use: an `npm install` of another version compiles differently. */
function installedEsbuildVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'none';
  }
}

export function bundleKey(spec: BundleSpec, contentHashes: Map<string, string>, esbuildVersion = installedEsbuildVersion()): string {
  const hash = createHash('sha256').update(`format ${BUNDLE_FORMAT}\0${BUILDER_HASH}\0esbuild ${esbuildVersion}\0${JSON.stringify(spec.entries)}\0${JSON.stringify(spec.sharedFiles ?? [])}\0`);
  for (const input of [...contentHashes.keys()].sort()) hash.update(`${input}\0${contentHashes.get(input)}\0`);
  return hash.digest('hex').slice(0, 32);
}

function projectCacheDir(spec: BundleSpec): string {
  return join(spec.cacheDir, sha256(spec.root).slice(0, 16));
}

/** The key of the stored bundle if every file it was built from still has the content it had. */
function freshStoredKey(spec: BundleSpec): string | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(projectCacheDir(spec), 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.format !== BUNDLE_FORMAT || JSON.stringify(manifest.entries) !== JSON.stringify(spec.entries)) return undefined;
  if (JSON.stringify(manifest.sharedFiles ?? []) !== JSON.stringify(spec.sharedFiles ?? [])) return undefined;
  const hashes = new Map<string, string>();
  for (const input of manifest.inputs) {
    try {
      hashes.set(input, sha256(readFileSync(join(spec.root, input))));
    } catch {
      return undefined;
    }
  }
  const key = bundleKey(spec, hashes);
  return key === manifest.key && existsSync(join(projectCacheDir(spec), key, 'entry.mjs')) ? key : undefined;
}

function entrySource(spec: BundleSpec): string {
  const loaders = Object.entries(spec.entries).map(([name, file]) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(join(spec.root, file))}),`);
  return `export const modules = {\n${loaders.join('\n')}\n};\n`;
}

function isInside(path: string, dir: string): boolean {
  return path.startsWith(dir + sep);
}

/** Builds the bundle into the cache; returns its key. */
async function build(spec: BundleSpec): Promise<string> {
  const esbuild = await import('esbuild');
  const bundledRoot = join(spec.root, spec.bundledDir);
  const shared = new Set((spec.sharedFiles ?? []).map((file) => join(spec.root, file)));
  const sharedSeen = new Set<string>();
  const contentHashes = new Map<string, string>();
  // The compiler options tsx applies to the sources (class fields, decorators…) apply here too.
  const tsconfigFile = join(spec.root, 'tsconfig.json');
  let tsconfigRaw: string | undefined;
  if (existsSync(tsconfigFile)) {
    tsconfigRaw = readFileSync(tsconfigFile, 'utf8');
    contentHashes.set('tsconfig.json', sha256(tsconfigRaw));
  }
  const plugin = {
    name: 'pricesense-source-bundle',
    setup(build: import('esbuild').PluginBuild) {
      build.onResolve({ filter: /^pricesense-bundle-entry$/ }, () => ({ path: 'entry', namespace: ENTRY_NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, () => ({ contents: entrySource(spec), loader: 'js', resolveDir: spec.root }));
      // Project files outside the bundled directory stay imports of their sources (tsx loads them).
      build.onResolve({ filter: /^[./]/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
        if (shared.has(resolved.path)) sharedSeen.add(resolved.path);
        if (resolved.errors.length > 0 || resolved.external || (isInside(resolved.path, bundledRoot) && !shared.has(resolved.path))) return resolved;
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (!isInside(args.path, bundledRoot)) throw new Error(`${args.path} is outside ${bundledRoot} and should not be bundled`);
        const text = readFileSync(args.path);
        contentHashes.set(relative(spec.root, args.path), sha256(text));
        // Per file, so import.meta.url is the source file's URL (esbuild's define is global).
        const compiled = esbuild.transformSync(text.toString('utf8'), {
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
          sourcefile: args.path,
          sourcemap: 'inline',
          target: 'node20',
          ...(tsconfigRaw !== undefined ? { tsconfigRaw } : {}),
          define: {
            'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
            'import.meta.filename': JSON.stringify(args.path),
            'import.meta.dirname': JSON.stringify(dirname(args.path)),
          },
        });
        return { contents: compiled.code, loader: 'js', resolveDir: dirname(args.path) };
      });
      // Any other file esbuild would inline must be in the key too: JSON is, anything else fails
      // the build (and the sources run).
      build.onLoad({ filter: /.*/ }, (args) => {
        const text = readFileSync(args.path);
        if (!args.path.endsWith('.json')) throw new Error(`${args.path}: only TypeScript, JavaScript and JSON are bundled`);
        contentHashes.set(relative(spec.root, args.path), sha256(text));
        return { contents: text, loader: 'json' };
      });
    },
  };
  const projectDir = projectCacheDir(spec);
  const building = join(projectDir, `.building-${process.pid}-${Date.now()}`);
  try {
    const { outputFiles } = await esbuild.build({
      entryPoints: { entry: 'pricesense-bundle-entry' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      outdir: building,
      // .mjs: a cache directory has no package.json saying "type": "module".
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      logLevel: 'silent',
      write: false,
      plugins: [plugin],
    });
    // A shared file that no import resolved to (misspelled, moved) would mean a second copy of it
    // in the bundle, with state the rest of the process does not see: run the sources instead.
    const missed = [...shared].filter((file) => !sharedSeen.has(file));
    if (missed.length > 0) throw new Error(`shared files no bundled module imports: ${missed.map((file) => relative(spec.root, file)).join(', ')}`);
    mkdirSync(building, { recursive: true });
    for (const output of outputFiles) writeFileSync(output.path, output.path.endsWith('.map') ? withAbsoluteSources(output.path, output.text) : output.contents);
    const key = bundleKey(spec, contentHashes);
    const target = join(projectDir, key);
    try {
      renameSync(building, target);
    } catch (error) {
      // Another process built the same sources first: its bundle is this one.
      if (!existsSync(join(target, 'entry.mjs'))) throw error;
    }
    const manifest: Manifest = { format: BUNDLE_FORMAT, key, entries: spec.entries, sharedFiles: spec.sharedFiles ?? [], inputs: [...contentHashes.keys()].sort() };
    const manifestTemp = join(projectDir, `.manifest-${process.pid}-${Date.now()}.json`);
    writeFileSync(manifestTemp, JSON.stringify(manifest));
    renameSync(manifestTemp, join(projectDir, 'manifest.json'));
    removeStaleBundles(projectDir, key);
    return key;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

/**
 * Source maps name their sources relative to the map, which Node resolves from the real path of
 * the bundle: through a symlinked node_modules that is another checkout's file. Absolute URLs
 * keep stack traces on this checkout's sources.
 */
function withAbsoluteSources(mapPath: string, text: string): string {
  const map = JSON.parse(text) as { sources: string[] };
  map.sources = map.sources.map((source) => pathToFileURL(resolve(dirname(mapPath), source)).href);
  return JSON.stringify(map);
}

/** A lock older than this belongs to a builder that died: it is taken over. */
const STALE_LOCK_MS = 120_000;

/** The build lock (an exclusively created file), or undefined while another live process holds it. */
function takeBuildLock(projectDir: string): (() => void) | undefined {
  const lock = join(projectDir, 'build.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, 'wx'));
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return undefined;
        rmSync(lock, { force: true });
      } catch {
        // Released meanwhile: try again.
      }
    }
  }
  return undefined;
}

function removeStaleBundles(projectDir: string, keep: string): void {
  for (const name of readdirSync(projectDir)) {
    if (name === keep || name === 'manifest.json') continue;
    const path = join(projectDir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_BUNDLE_AGE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/**
 * The entries' loaders from a bundle of the current sources (building it when there is none), or
 * undefined when bundling is off or fails: the caller then imports the sources.
 */
export async function loadBundle(spec: BundleSpec): Promise<BundledModules | undefined> {
  if (process.env[NO_BUNDLE_ENV]) return undefined;
  try {
    let key = freshStoredKey(spec);
    if (key === undefined) {
      // A read-only install (the serving image) runs the sources rather than build in vain each start.
      mkdirSync(projectCacheDir(spec), { recursive: true });
      accessSync(projectCacheDir(spec), constants.W_OK);
      const release = takeBuildLock(projectCacheDir(spec));
      // Another process is building: run the sources now rather than build the same bundle beside
      // it (on 2 cores, 8 commands started together on a fresh clone took 39 s building at once, 9 s from sources).
      if (!release) return undefined;
      try {
        key = await build(spec);
      } finally {
        release();
      }
    }
    // Marks the bundle as in use: removeStaleBundles deletes other bundles by this age, and a
    // command started from this one may still import its chunks later.
    const now = new Date();
    try {
      utimesSync(join(projectCacheDir(spec), key), now, now);
    } catch {
      // A read-only cache: nothing there is removed either.
    }
    const entry = join(projectCacheDir(spec), key, 'entry.mjs');
    return ((await import(pathToFileURL(entry).href)) as { modules: BundledModules }).modules;
  } catch (error) {
    // A source that does not compile fails the same way from the sources, with tsx's message.
    if (process.env.PRICESENSE_DEBUG) console.error(`pricesense: running the sources, the CLI bundle failed: ${(error as Error).message}`);
    return undefined;
  }
}
