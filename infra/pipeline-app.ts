/**
 * Builds the CDK app: one PipelineStack, configured from the CDK context `pricesense:config`
 * (JSON over the defaults of workflow/config.ts), with the AwsSolutions cdk-nag checks.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveConfig, type DeepPartial, type PipelineConfig } from '../workflow/config.js';
import { PipelineStack } from './pipeline-stack.js';
import { GITHUB_OIDC_STACK_NAME, GitHubOidcStack } from './cicd/github-oidc-stack.js';
import { DEFAULT_GLUE_SCRIPTS_DIR, DEFAULT_TASKS_DIR } from './project-paths.js';

export const STACK_NAME = 'Pricesense';
export const CONFIG_CONTEXT_KEY = 'pricesense:config';
export const REGION_CONTEXT_KEY = 'pricesense:region';
export const DEFAULT_REGION = 'us-east-1';

export interface PipelineAppOptions {
  /** Overrides over the defaults (and over the `pricesense:config` context). */
  config?: DeepPartial<PipelineConfig>;
  outdir?: string;
  /** Bundle the Lambda code with esbuild. @default true when run by the CDK CLI */
  bundle?: boolean;
  /** @default 'glue-scripts' of the repository */
  glueScriptsDir?: string;
  /** @default 'tasks' of the repository */
  tasksDir?: string;
  /** Run the AwsSolutions cdk-nag checks (synth fails on an unacknowledged finding). @default true */
  nag?: boolean;
  /** Extra CDK context. */
  context?: Record<string, unknown>;
}

export function createPipelineApp(options: PipelineAppOptions = {}): App {
  const bundle = options.bundle ?? true;
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: { ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
  });
  const config = resolveConfig(mergeOverrides(parseConfigContext(app.node.tryGetContext(CONFIG_CONTEXT_KEY)), options.config ?? {}));
  const region = String(app.node.tryGetContext(REGION_CONTEXT_KEY) ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION);
  new PipelineStack(app, STACK_NAME, {
    config,
    region,
    // Region-specific (the XGBoost image is per Region), account-agnostic: synth needs no credentials.
    env: { region },
    glueScriptsDir: options.glueScriptsDir ?? DEFAULT_GLUE_SCRIPTS_DIR,
    tasksDir: options.tasksDir ?? DEFAULT_TASKS_DIR,
    bundle,
    description: 'pricesense: typed Step Functions ML pipeline for basket price sensitivity',
  });
  if (config.cicd.githubRepository !== '') {
    new GitHubOidcStack(app, GITHUB_OIDC_STACK_NAME, { cicd: config.cicd, env: { region }, description: 'pricesense: GitHub OIDC provider and CI deploy role' });
  }
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

function parseConfigContext(value: unknown): DeepPartial<PipelineConfig> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object') return value as DeepPartial<PipelineConfig>;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as DeepPartial<PipelineConfig>;
    } catch (error) {
      throw new Error(`CDK context ${CONFIG_CONTEXT_KEY} must be a JSON object, got ${JSON.stringify(value)}: ${(error as Error).message}`);
    }
  }
  throw new Error(`CDK context ${CONFIG_CONTEXT_KEY} must be a JSON object, got ${JSON.stringify(value)}`);
}

function mergeOverrides(base: DeepPartial<PipelineConfig>, overrides: DeepPartial<PipelineConfig>): DeepPartial<PipelineConfig> {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? mergeOverrides(current as DeepPartial<PipelineConfig>, value as DeepPartial<PipelineConfig>)
        : value;
  }
  return out as DeepPartial<PipelineConfig>;
}
