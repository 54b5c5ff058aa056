/**
 * Turns the state machine of a synthesized template into runnable ASL with local names: the
 * ASL the local interpreter executes is the one `cdk synth` deploys, never a hand-kept copy.
 */
import { resolveIntrinsics, TemplateResolutionError } from './intrinsics.js';
import { localResourceNames, namesContext, type CloudFormationTemplate, type LocalNames } from './local-names.js';

export function resolveDefinition(template: object, stateMachineLogicalId: string, names?: LocalNames): Record<string, unknown> {
  const resources = (template as CloudFormationTemplate).Resources ?? {};
  const resource = resources[stateMachineLogicalId];
  if (!resource) {
    const machines = Object.entries(resources)
      .filter(([, candidate]) => candidate.Type === 'AWS::StepFunctions::StateMachine')
      .map(([logicalId]) => logicalId);
    throw new TemplateResolutionError(
      `No resource ${JSON.stringify(stateMachineLogicalId)} in the template; its state machines are: ${machines.join(', ') || '(none)'}`,
    );
  }
  if (resource.Type !== 'AWS::StepFunctions::StateMachine') {
    throw new TemplateResolutionError(`${stateMachineLogicalId} is a ${resource.Type}, expected AWS::StepFunctions::StateMachine`);
  }
  const context = namesContext(names ?? localResourceNames(template), template);
  const properties = resource.Properties ?? {};
  const path = `${stateMachineLogicalId}.Properties`;

  let definition: unknown;
  if (properties.Definition !== undefined) {
    definition = resolveIntrinsics(properties.Definition, context, `${path}.Definition`);
    definition = JSON.parse(JSON.stringify(definition));
  } else if (properties.DefinitionString !== undefined) {
    const text = resolveIntrinsics(properties.DefinitionString, context, `${path}.DefinitionString`);
    if (typeof text !== 'string') throw new TemplateResolutionError(`${path}.DefinitionString resolved to ${typeof text}, expected a JSON string`);
    definition = parseDefinition(substitute(text, properties.DefinitionSubstitutions, context, path), path);
  } else {
    throw new TemplateResolutionError(`${path} has neither DefinitionString nor Definition (DefinitionS3Location is not supported locally)`);
  }
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new TemplateResolutionError(`${path}: the definition is not a JSON object`);
  }
  return definition as Record<string, unknown>;
}

/** `DefinitionSubstitutions` replace `${key}` placeholders in the definition string. */
function substitute(text: string, substitutions: unknown, context: ReturnType<typeof namesContext>, path: string): string {
  if (substitutions === undefined) return text;
  const values = resolveIntrinsics(substitutions, context, `${path}.DefinitionSubstitutions`) as Record<string, unknown>;
  return text.replace(/\$\{([A-Za-z0-9_.-]+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

function parseDefinition(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TemplateResolutionError(`${path}.DefinitionString is not valid JSON after resolution: ${(error as Error).message}`);
  }
}
