/**
 * In-process synthesis for the local runner and the tests: bundling skipped (≈2 s), templates
 * returned as objects with the state machine's logical id.
 */
import { Stack } from 'aws-cdk-lib';
import { createPipelineApp, STACK_NAME, type PipelineAppOptions } from './pipeline-app.js';
import type { PipelineStack } from './pipeline-stack.js';

export interface SynthesizedPipeline {
  templates: Record<string, object>;
  stateMachineLogicalId: string;
  stackName: string;
}

export function synthesizePipeline(options: PipelineAppOptions = {}): SynthesizedPipeline {
  const app = createPipelineApp({ bundle: false, ...options });
  const assembly = app.synth();
  const templates: Record<string, object> = {};
  for (const stack of assembly.stacks) templates[stack.stackName] = stack.template as object;
  const stack = app.node.findChild(STACK_NAME) as PipelineStack;
  const stateMachineLogicalId = Stack.of(stack).getLogicalId(stack.stateMachine.node.defaultChild as never);
  return { templates, stateMachineLogicalId, stackName: stack.stackName };
}
