import { definitionProblem } from '../definition-problem.js';
import { isObject, type StateVisit } from '../definition-walk.js';
import { showValue } from './shape.js';

/**
 * Map fields that AWS accepts only in DISTRIBUTED mode. The tolerated-failure fields are not among
 * them: AWS accepts them on an inline Map (recorded executions show it), where they have no effect.
 */
export const DISTRIBUTED_ONLY_FIELDS = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'Label'] as const;

/**
 * ItemProcessor.ProcessorConfig: Mode INLINE (the default, and what Iterator means) or DISTRIBUTED;
 * DISTRIBUTED needs an ExecutionType; distributed-only fields need DISTRIBUTED.
 */
export function checkMapProcessorConfig({ path, state }: StateVisit): void {
  if (state.Type !== 'Map') return;
  let mode = 'INLINE';
  if (isObject(state.ItemProcessor) && state.ItemProcessor.ProcessorConfig !== undefined) {
    const config = state.ItemProcessor.ProcessorConfig;
    if (!isObject(config)) throw definitionProblem(path, 'ItemProcessor.ProcessorConfig', `must be an object, got ${showValue(config)}`);
    if (config.Mode !== undefined) {
      if (config.Mode !== 'INLINE' && config.Mode !== 'DISTRIBUTED') {
        throw definitionProblem(path, 'ItemProcessor.ProcessorConfig.Mode', `must be INLINE or DISTRIBUTED, got ${showValue(config.Mode)}`);
      }
      mode = config.Mode;
    }
    if (mode === 'DISTRIBUTED' && config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') {
      throw definitionProblem(path, 'ItemProcessor.ProcessorConfig.ExecutionType', `a DISTRIBUTED Map needs ExecutionType STANDARD or EXPRESS, got ${showValue(config.ExecutionType)}`);
    }
    if (mode === 'INLINE' && config.ExecutionType !== undefined) {
      throw definitionProblem(path, 'ItemProcessor.ProcessorConfig.ExecutionType', 'ExecutionType applies only to Mode DISTRIBUTED');
    }
  }
  if (mode === 'INLINE') {
    const field = DISTRIBUTED_ONLY_FIELDS.find((name) => state[name] !== undefined);
    if (field !== undefined) {
      throw definitionProblem(path, field, `${field} needs a Distributed Map: set ItemProcessor.ProcessorConfig.Mode to DISTRIBUTED (with an ExecutionType)`);
    }
  }
}
