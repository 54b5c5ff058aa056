/**
 * The pipeline configuration `cdk synth` would deploy, for the local commands: the
 * `pricesense:config` context as the CDK CLI resolves it (cdk.json's `context` first, then
 * cdk.context.json, then ~/.cdk.json), plus an optional `--config FILE` over it. Passing the
 * result as the synthesis overrides makes the local definition the one `cdk synth` produces.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '../../infra/project-paths.js';
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';

export const CONFIG_CONTEXT_KEY = 'pricesense:config';

export class ProjectConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectConfigError';
  }
}

type Overrides = DeepPartial<PipelineConfig>;

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ProjectConfigError(`${what} ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
}

function asOverrides(value: unknown, where: string): Overrides {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch (error) {
      throw new ProjectConfigError(`${where} must be a JSON object, got ${JSON.stringify(value)}: ${(error as Error).message}`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ProjectConfigError(`${where} must be a JSON object, got ${JSON.stringify(value)}`);
  return value as Overrides;
}

/** Objects merge key by key; anything else (arrays included) replaces. */
export function mergeConfig(base: Overrides, over: Overrides): Overrides {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over as Record<string, unknown>)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? mergeConfig(current as Overrides, value as Overrides)
        : value;
  }
  return out as Overrides;
}

/** The cdk.json the CDK CLI would use: the working directory's, else the repository's. */
export function findCdkJson(cwd = process.cwd()): string | undefined {
  for (const dir of [resolve(cwd), REPO_ROOT]) {
    const file = join(dir, 'cdk.json');
    if (existsSync(file)) return file;
  }
  return undefined;
}

export interface ProjectConfigOptions {
  /** @default process.cwd() */
  cwd?: string;
  /** `--config FILE`: JSON overrides (the same shape as the context value) over cdk.json's. */
  configFile?: string;
  /** Command-line flags such as `--deploy-target`, over everything. */
  overrides?: Overrides;
  /** @default the user's ~/.cdk.json */
  userSettingsFile?: string;
}

export interface ProjectConfig {
  config: Overrides;
  /** Where each layer came from, for messages. */
  sources: string[];
}

export function projectConfig(options: ProjectConfigOptions = {}): ProjectConfig {
  const sources: string[] = [];
  let config: Overrides = {};
  const cdkJson = findCdkJson(options.cwd);
  // Lowest precedence first: ~/.cdk.json, cdk.context.json, cdk.json (the CLI's order).
  const layers: { file: string; what: string; pick: (json: Record<string, unknown>) => unknown }[] = [
    { file: options.userSettingsFile ?? join(homedir(), '.cdk.json'), what: 'CDK user settings', pick: (json) => (json.context as Record<string, unknown> | undefined)?.[CONFIG_CONTEXT_KEY] },
  ];
  if (cdkJson) {
    layers.push({ file: join(dirname(cdkJson), 'cdk.context.json'), what: 'CDK context file', pick: (json) => json[CONFIG_CONTEXT_KEY] });
    layers.push({ file: cdkJson, what: 'cdk.json', pick: (json) => (json.context as Record<string, unknown> | undefined)?.[CONFIG_CONTEXT_KEY] });
  }
  for (const layer of layers) {
    if (!existsSync(layer.file)) continue;
    const value = layer.pick(readJson(layer.file, layer.what) as Record<string, unknown>);
    if (value === undefined) continue;
    // The CLI takes the whole context value from the highest layer that has the key.
    config = asOverrides(value, `${layer.file} context ${CONFIG_CONTEXT_KEY}`);
    sources.splice(0, sources.length, `${layer.file} (context ${CONFIG_CONTEXT_KEY})`);
  }
  if (options.configFile !== undefined) {
    if (!existsSync(options.configFile)) throw new ProjectConfigError(`--config ${options.configFile} does not exist`);
    const file = readJson(options.configFile, '--config') as Record<string, unknown>;
    // Either the bare config object or a cdk.json-shaped file.
    const value = (file.context as Record<string, unknown> | undefined)?.[CONFIG_CONTEXT_KEY] ?? file;
    config = mergeConfig(config, asOverrides(value, `--config ${options.configFile}`));
    sources.push(options.configFile);
  }
  if (options.overrides) config = mergeConfig(config, options.overrides);
  return { config, sources };
}
