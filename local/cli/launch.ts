/**
 * What bin/pricesense.mjs runs: the CLI from its cached bundle (see source-bundle.ts), or from the
 * sources when the bundle cannot be used. Never part of the bundle itself.
 */
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandFile, commandNames } from './command-files.js';
import { loadBundle, type BundleSpec } from './source-bundle.js';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const MAIN_ENTRY = 'main';
const commandEntry = (name: string) => `commands/${name}`;

/** The CLI's bundle: main and every command, with the modules of local/ they import. */
export function cliBundleSpec(): BundleSpec {
  const entries: Record<string, string> = { [MAIN_ENTRY]: 'local/cli/main.ts' };
  for (const name of commandNames()) entries[commandEntry(name)] = relative(REPO_ROOT, commandFile(name));
  // Next to the synthesis cache: one per checkout, and `npm ci` starts it afresh.
  return { root: REPO_ROOT, bundledDir: 'local', entries, cacheDir: join(REPO_ROOT, 'node_modules', '.cache', 'pricesense', 'cli-bundle') };
}

export async function launch(argv: string[]): Promise<number> {
  const bundle = await loadBundle(cliBundleSpec());
  if (!bundle) {
    const { main } = await import('./main.js');
    return main(argv);
  }
  const { main } = (await bundle[MAIN_ENTRY]!()) as typeof import('./main.js');
  return main(argv, (name) => bundle[commandEntry(name)]!());
}
