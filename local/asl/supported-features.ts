import type { StateDefinition, StateMachineDefinition } from './definition.js';
import { DefinitionError } from './errors/definition-error.js';

/**
 * What the local engine cannot run even though the definition is valid ASL. Rejected before the
 * execution starts, naming the state and the field.
 */
export function checkSupported(definition: StateMachineDefinition, prefix = 'States'): void {
  if (!definition || typeof definition !== 'object' || typeof definition.States !== 'object' || definition.States === null) {
    throw new DefinitionError(`${prefix === 'States' ? 'The definition' : prefix} must have a States object`, prefix, 'States');
  }
  if (!(definition.StartAt in definition.States)) {
    throw new DefinitionError(`StartAt '${definition.StartAt}' names no state in ${prefix}`, prefix, 'StartAt');
  }
  for (const [name, state] of Object.entries(definition.States)) {
    const statePath = `${prefix}.${name}`;
    checkState(state, statePath);
    state.Branches?.forEach((branch, i) => checkSupported(branch, `${statePath}.Branches[${i}].States`));
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) checkSupported(processor, `${statePath}.${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}.States`);
  }
}

function checkState(state: StateDefinition, statePath: string): void {
  if (state.ResultWriter !== undefined) {
    throw new DefinitionError(
      `${statePath}: ResultWriter is not supported by the local engine; remove it (the Map output is then the array of child results)`,
      statePath,
      'ResultWriter',
    );
  }
  if (state.ItemReader?.ReaderConfig?.InputType === 'MANIFEST') {
    throw new DefinitionError(
      `${statePath}: ItemReader.ReaderConfig.InputType MANIFEST is not supported locally (supported: CSV, JSON, JSONL, or s3:listObjectsV2)`,
      statePath,
      'ItemReader.ReaderConfig.InputType',
    );
  }
}
