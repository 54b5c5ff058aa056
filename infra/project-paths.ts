/** Paths the CDK app reads at synth time, relative to the repository root. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_TASKS_DIR = join(REPO_ROOT, 'tasks');

export function taskEntry(name: string, tasksDir = DEFAULT_TASKS_DIR): string {
  return join(tasksDir, `${name}.ts`);
}

export const DEFAULT_GLUE_SCRIPTS_DIR = join(REPO_ROOT, 'glue-scripts');
