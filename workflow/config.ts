/**
 * The one typed configuration of the pipeline. Every tunable of the state machine comes from
 * here: the CDK app embeds it into the definition at synth time, and `pricesense run` passes
 * overrides (for example `--deploy-target`) through the same object.
 *
 * Split by concept: config-types.ts (the shape), config-defaults.ts (the defaults),
 * config-validation.ts (the checks); this file merges overrides and is what callers import.
 */
import { DEFAULT_CONFIG } from './config-defaults.js';
import type { DeepPartial, PipelineConfig } from './config-types.js';
import { configProblems } from './config-validation.js';

export * from './config-types.js';
export { DEFAULT_CONFIG } from './config-defaults.js';

/** Merges overrides into the defaults and rejects values that cannot work, naming the field. */
export function resolveConfig(overrides: DeepPartial<PipelineConfig> = {}): PipelineConfig {
  const config = mergeDeep(DEFAULT_CONFIG, overrides);
  const problems = configProblems(config);
  if (problems.length > 0) {
    throw new Error(`Invalid pricesense configuration:\n- ${problems.join('\n- ')}`);
  }
  return config;
}

function mergeDeep<T>(base: T, overrides: DeepPartial<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value) && current !== null && typeof current === 'object'
        ? mergeDeep(current, value as DeepPartial<typeof current>)
        : value;
  }
  return out as T;
}
