/**
 * Every configuration variant the validators check, each synthesized once per test run.
 * The region variant passes the `pricesense:region` context (the XGBoost image, ARNs and the
 * stack's env change with it); synthForTest has no region knob, so that one synthesizes here,
 * memoized in-process.
 */
import { join } from 'node:path';
import { DEFAULT_GLUE_SCRIPTS_DIR, DEFAULT_TASKS_DIR, REPO_ROOT } from '../../infra/project-paths.js';
import { REGION_CONTEXT_KEY } from '../../infra/pipeline-app.js';
import { synthesizePipeline } from '../../infra/synthesize.js';
import { resolveDefinition } from '../../local/template/index.js';
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';
import { synthForTest } from '../support/synth.js';

export interface ConfigVariant {
  name: string;
  config: DeepPartial<PipelineConfig>;
  region?: string;
}

const EKS = { clusterName: 'prod-cluster', endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com', certificateAuthorityData: 'bG9jYWwtY2E=' };

export const CONFIG_VARIANTS: readonly ConfigVariant[] = [
  { name: 'endpoint (default)', config: {} },
  { name: 'eks', config: { deployTarget: 'eks', eks: EKS } as DeepPartial<PipelineConfig> },
  { name: 'serverless endpoint', config: { endpoint: { serverless: { memorySizeInMb: 2048, maxConcurrency: 20 } } } },
  { name: 'manual approval', config: { approvalMode: 'manual' } as DeepPartial<PipelineConfig> },
  { name: 'on-demand training', config: { training: { useSpot: false } } },
  { name: 'another region (eu-west-1)', config: {}, region: 'eu-west-1' },
];

const regional = new Map<string, { template: Record<string, any>; stateMachineLogicalId: string }>();

export function synthVariant(variant: ConfigVariant): { template: Record<string, any>; stateMachineLogicalId: string } {
  if (!variant.region) {
    const { template, stateMachineLogicalId } = synthForTest(variant.config);
    return { template, stateMachineLogicalId };
  }
  const key = `${variant.region}\0${JSON.stringify(variant.config)}`;
  let synthesized = regional.get(key);
  if (!synthesized) {
    const result = synthesizePipeline({
      config: variant.config,
      nag: true,
      glueScriptsDir: DEFAULT_GLUE_SCRIPTS_DIR,
      tasksDir: DEFAULT_TASKS_DIR,
      context: { [REGION_CONTEXT_KEY]: variant.region },
      outdir: join(REPO_ROOT, 'cdk.out', `test-region-${process.pid}-${variant.region}`),
    });
    synthesized = { template: result.templates[result.stackName] as Record<string, any>, stateMachineLogicalId: result.stateMachineLogicalId };
    regional.set(key, synthesized);
  }
  return synthesized;
}

export function variantAsl(variant: ConfigVariant): { StartAt: string; States: Record<string, any>; QueryLanguage?: string } {
  const { template, stateMachineLogicalId } = synthVariant(variant);
  return resolveDefinition(template, stateMachineLogicalId) as never;
}
