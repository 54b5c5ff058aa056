/**
 * Template -> definition, done once for every command: synthesize the CDK app (cached), take
 * its stack template, name every resource locally and resolve the state machine's ASL with those
 * names. `run`, `watch`, `redrive` (through openLocalPipeline), `asl`, `replay` and `inspect` all
 * get the definition here, so they execute and show the one `cdk synth` deploys.
 */
import { DeployTarget, resolveConfig, type DeepPartial, type PipelineConfig } from '../../workflow/config.js';
import { localResourceNames, resolveDefinition, type LocalNames } from '../template/index.js';
import { cachedSynthesis } from './synthesis-cache.js';

/** A local EKS "cluster": the eks:call integration needs an endpoint and CA in the definition. */
export const LOCAL_EKS = { clusterName: 'pricesense-local', endpoint: 'https://127.0.0.1:6443', certificateAuthorityData: 'bG9jYWwtY2E=' };

/** Config overrides that make a local run possible without changing what is tested. */
export function localConfig(overrides: DeepPartial<PipelineConfig>): DeepPartial<PipelineConfig> {
  const eks = overrides.deployTarget === DeployTarget.Eks ? { eks: { ...LOCAL_EKS, ...overrides.eks } } : {};
  return { ...overrides, ...eks };
}

export interface PipelineDefinition {
  /** The config the template was synthesized with (defaults filled in). */
  config: PipelineConfig;
  /** The stack template (CloudFormation JSON). */
  template: object;
  /** Every template resource with its local name and ARN. */
  names: LocalNames;
  /** The state machine's ASL, tokens resolved to local names. */
  definition: Record<string, unknown>;
  stateMachineLogicalId: string;
  stateMachineArn: string;
}

export interface LoadDefinitionOptions {
  /** Uses this template instead of the synthesized one (tests: a variant with a policy changed). */
  template?: object;
}

/** The pipeline for these config overrides (cdk.json's and the command's), as the local backend runs it. */
export async function loadPipelineDefinition(overrides: DeepPartial<PipelineConfig> = {}, options: LoadDefinitionOptions = {}): Promise<PipelineDefinition> {
  const local = localConfig(overrides);
  const synthesized = await cachedSynthesis(local);
  const template = options.template ?? synthesized.templates[synthesized.stackName];
  if (!template) throw new Error(`Synthesis produced no template for stack ${synthesized.stackName}`);
  const names = localResourceNames(template);
  const definition = resolveDefinition(template, synthesized.stateMachineLogicalId, names);
  return {
    config: resolveConfig(local),
    template,
    names,
    definition,
    stateMachineLogicalId: synthesized.stateMachineLogicalId,
    stateMachineArn: names.get(synthesized.stateMachineLogicalId)?.arn ?? 'arn:aws:states:us-east-1:000000000000:stateMachine:pricesense',
  };
}
