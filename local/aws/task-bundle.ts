/**
 * The task Lambdas' handlers from a cached esbuild bundle of `tasks/` (see cli/source-bundle.ts:
 * content-keyed, never stale, the sources run when it cannot be built). Deployed, each handler is
 * an esbuild bundle too (NodejsFunction); locally, loading it from source through tsx cost every
 * cold function 0.2-0.3 s of module resolution, on the critical path of ValidateInput and
 * EvaluateModel. Files outside `tasks/` (workflow/) stay imports of their sources, shared with
 * the rest of the process as before.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_TASKS_DIR, REPO_ROOT } from '../../infra/project-paths.js';
import { loadBundle, type BundledModules, type BundleSpec } from '../cli/source-bundle.js';

/** Every handler file of `tasks/`, by its name without `.ts` (the function's POWERTOOLS_SERVICE_NAME). */
export function taskBundleSpec(): BundleSpec {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(DEFAULT_TASKS_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).sort()) {
    entries[name.slice(0, -'.ts'.length)] = relative(REPO_ROOT, join(DEFAULT_TASKS_DIR, name));
  }
  return {
    root: REPO_ROOT,
    bundledDir: relative(REPO_ROOT, DEFAULT_TASKS_DIR),
    entries,
    // The client hooks through which local/ routes the handlers' SDK calls to the emulators.
    sharedFiles: [relative(REPO_ROOT, join(DEFAULT_TASKS_DIR, 'core', 'shared', 'aws-clients.ts'))],
    cacheDir: process.env[TASK_BUNDLE_CACHE_ENV] || join(REPO_ROOT, 'node_modules', '.cache', 'pricesense', 'task-bundle'),
  };
}

/**
 * Set by bin/pricesense.mjs, which registers tsx: the bundle imports workflow/ as TypeScript
 * sources, which only a process with a TypeScript loader can (not Vitest's workers, for one).
 */
export const TASK_BUNDLE_ENV = 'PRICESENSE_TASK_BUNDLE';
/** Where the bundle is kept (tests point it at a folder of their own). @default node_modules/.cache/pricesense/task-bundle */
export const TASK_BUNDLE_CACHE_ENV = 'PRICESENSE_TASK_BUNDLE_CACHE';

let bundle: Promise<BundledModules | undefined> | undefined;
const fromBundle = new Set<string>();

/** The handlers this process loaded from the bundle (diagnostics and tests). */
export function tasksLoadedFromBundle(): string[] {
  return [...fromBundle].sort();
}

/** The loader of one handler module from the bundle, or undefined (then import the source). */
export async function bundledTask(serviceName: string): Promise<(() => Promise<unknown>) | undefined> {
  if (process.env[TASK_BUNDLE_ENV] !== '1') return undefined;
  bundle ??= loadBundle(taskBundleSpec());
  const loader = (await bundle)?.[serviceName];
  if (loader) fromBundle.add(serviceName);
  return loader;
}
