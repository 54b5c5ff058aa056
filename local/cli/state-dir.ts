/** The state directory every local command shares: `--state-dir`, else $PRICESENSE_STATE_DIR, else `.pricesense/`. */
import { resolve } from 'node:path';

export const DEFAULT_STATE_DIR = '.pricesense';

export function resolveStateDir(flag: string | undefined): string {
  return resolve(flag ?? process.env.PRICESENSE_STATE_DIR ?? DEFAULT_STATE_DIR);
}
