import { definitionProblem } from '../definition-problem.js';
import { isObject } from '../definition-walk.js';

export const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
const QUERY_LANGUAGES = ['JSONPath', 'JSONata'];

/**
 * The skeleton every later rule walks: objects where objects belong, StartAt and States in every
 * (nested) machine, a known Type on every state, a known QueryLanguage.
 */
export function checkShape(definition: unknown): asserts definition is Record<string, unknown> {
  if (!isObject(definition)) {
    throw definitionProblem('Definition', undefined, `must be a JSON object with StartAt and States, got ${showValue(definition)}`);
  }
  if (definition.QueryLanguage !== undefined && !QUERY_LANGUAGES.includes(definition.QueryLanguage as string)) {
    throw definitionProblem('Definition', 'QueryLanguage', `must be JSONPath or JSONata, got ${showValue(definition.QueryLanguage)}`);
  }
  checkMachine(definition, '', 'States');
}

function checkMachine(machine: Record<string, unknown>, containerPath: string, statesPath: string): void {
  const where = containerPath === '' ? 'Definition' : containerPath;
  if (typeof machine.StartAt !== 'string' || machine.StartAt === '') {
    throw definitionProblem(where, 'StartAt', `must name the first state, got ${showValue(machine.StartAt)}`);
  }
  if (!isObject(machine.States) || Object.keys(machine.States).length === 0) {
    throw definitionProblem(where, 'States', `must be an object holding at least one state, got ${showValue(machine.States)}`);
  }
  for (const [name, state] of Object.entries(machine.States)) {
    const statePath = `${statesPath}.${name}`;
    if (!isObject(state)) throw definitionProblem(statePath, undefined, `a state must be a JSON object, got ${showValue(state)}`);
    if (name.length > 80) throw definitionProblem(statePath, undefined, `state names are at most 80 characters, this one has ${name.length}`);
    if (!STATE_TYPES.includes(state.Type as (typeof STATE_TYPES)[number])) {
      throw definitionProblem(statePath, 'Type', `must be one of ${STATE_TYPES.join(', ')}, got ${showValue(state.Type)}`);
    }
    if (state.QueryLanguage !== undefined && !QUERY_LANGUAGES.includes(state.QueryLanguage as string)) {
      throw definitionProblem(statePath, 'QueryLanguage', `must be JSONPath or JSONata, got ${showValue(state.QueryLanguage)}`);
    }
    if (state.Type === 'Parallel') {
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
        throw definitionProblem(statePath, 'Branches', `a Parallel state needs a non-empty array of branches, got ${showValue(state.Branches)}`);
      }
      state.Branches.forEach((branch, index) => {
        const branchPath = `${statePath}.Branches[${index}]`;
        if (!isObject(branch)) throw definitionProblem(branchPath, undefined, `a branch must be an object with StartAt and States, got ${showValue(branch)}`);
        checkMachine(branch, branchPath, `${branchPath}.States`);
      });
    }
    if (state.Type === 'Map') {
      const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : state.Iterator !== undefined ? 'Iterator' : undefined;
      if (field === undefined) throw definitionProblem(statePath, 'ItemProcessor', 'a Map state needs an ItemProcessor (or the older Iterator)');
      const processor = state[field];
      if (!isObject(processor)) throw definitionProblem(statePath, field, `must be an object with StartAt and States, got ${showValue(processor)}`);
      checkMachine(processor, `${statePath}.${field}`, `${statePath}.${field}.States`);
    }
  }
}

export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
