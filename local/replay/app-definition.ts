/** The pipeline's current definition, synthesized from the CDK app with local resource names. */
import { synthesizePipeline } from '../../infra/synthesize.js';
import { localResourceNames, resolveDefinition } from '../template/index.js';

export function synthesizedPipelineDefinition(): Record<string, unknown> {
  const synthesized = synthesizePipeline({ nag: false });
  const template = synthesized.templates[synthesized.stackName];
  if (!template) throw new Error(`Synthesis produced no template for stack ${synthesized.stackName}`);
  return resolveDefinition(template, synthesized.stateMachineLogicalId, localResourceNames(template));
}
