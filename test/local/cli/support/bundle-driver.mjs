// Child process for source-bundle.test.ts: loads a bundle as bin/pricesense.mjs does (tsx
// registered, plain Node) and prints what it saw as one JSON line.
//   node bundle-driver.mjs project <spec.json>   the test project's main entry
//   node bundle-driver.mjs cli <cacheDir>        every entry of the real CLI's bundle
import { register } from 'tsx/esm/api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

register();
const { loadBundle } = await import('../../../../local/cli/source-bundle.ts');
const [mode, argument] = process.argv.slice(2);

if (mode === 'project') {
  const spec = JSON.parse(readFileSync(argument, 'utf8'));
  const modules = await loadBundle(spec);
  if (!modules) {
    console.log(JSON.stringify({ bundled: false }));
  } else {
    const main = await modules.main();
    const sourceShared = await import(pathToFileURL(join(spec.root, 'shared', 'config.ts')).href);
    console.log(JSON.stringify({ bundled: true, value: main.value, url: main.url, sharedIsTheSourceModule: main.shared === sourceShared.shared }));
  }
} else if (mode === 'cli') {
  const { cliBundleSpec } = await import('../../../../local/cli/launch.ts');
  const spec = { ...cliBundleSpec(), cacheDir: argument };
  const modules = await loadBundle(spec);
  const commands = {};
  for (const name of Object.keys(spec.entries).filter((entry) => entry.startsWith('commands/'))) {
    const command = await modules[name]();
    commands[name] = [typeof command.summary, typeof command.usage, typeof command.run];
  }
  console.log(JSON.stringify({ bundled: modules !== undefined, entries: Object.keys(spec.entries), commands }));
}
