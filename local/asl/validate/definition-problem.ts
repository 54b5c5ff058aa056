import { DefinitionError } from '../errors/definition-error.js';

/**
 * Builds the DefinitionError every rule throws: "<state path>.<field>: <problem>", e.g.
 * "States.TrainModel.Retry[0].ErrorEquals: States.ALL must appear alone".
 */
export function definitionProblem(statePath: string, field: string | undefined, problem: string): DefinitionError {
  const where = field === undefined || field === '' ? statePath : `${statePath}.${field}`;
  return new DefinitionError(`${where}: ${problem}`, statePath, field);
}
