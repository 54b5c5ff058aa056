/** `--config FILE` and `--deploy-target`: the configuration the commands that synthesize share. */
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';
import { projectConfig, ProjectConfigError } from '../template/project-config.js';
import { deployTargetOption } from './parse-options.js';
import { UsageError } from './usage-error.js';

export const CONFIG_OPTIONS = {
  config: { type: 'string' },
  'deploy-target': { type: 'string' },
} as const;

export const CONFIG_USAGE = `  --config FILE           JSON config over cdk.json's "pricesense:config" context (what \`cdk synth\` deploys)
  --deploy-target T       endpoint, eks or none (over the config)`;

export function commandConfig(values: { config?: string | undefined; 'deploy-target'?: string | undefined }): DeepPartial<PipelineConfig> {
  const target = deployTargetOption(values['deploy-target']);
  try {
    return projectConfig({ ...(values.config !== undefined ? { configFile: values.config } : {}), overrides: target ? { deployTarget: target } : {} }).config;
  } catch (error) {
    if (error instanceof ProjectConfigError) throw new UsageError(error.message);
    throw error;
  }
}
