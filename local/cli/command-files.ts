/**
 * The subcommands: one file per command under `commands/`. Apart from main.ts so that the launcher
 * can list them without loading main's side effects twice (once from the sources, once bundled).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const COMMANDS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'commands');

export function commandNames(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -3))
    .sort();
}

export function commandFile(name: string): string {
  return join(COMMANDS_DIR, `${name}.ts`);
}
