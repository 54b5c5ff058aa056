import { definitionProblem } from '../definition-problem.js';
import { isObject, type JsonObject, type MachineScope } from '../definition-walk.js';

/** Every transition a state can take, with the field that declares it. */
export function transitionsOf(state: JsonObject): { field: string; target: unknown }[] {
  const transitions: { field: string; target: unknown }[] = [];
  if (state.Next !== undefined) transitions.push({ field: 'Next', target: state.Next });
  if (state.Default !== undefined) transitions.push({ field: 'Default', target: state.Default });
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, index) => {
      if (isObject(rule)) transitions.push({ field: `Choices[${index}].Next`, target: rule.Next });
    });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, index) => {
      if (isObject(catcher)) transitions.push({ field: `Catch[${index}].Next`, target: catcher.Next });
    });
  }
  return transitions;
}

/** StartAt, Next, Default, Choices[].Next and Catch[].Next must name a state of the same States object. */
export function checkTransitionTargets(scope: MachineScope): void {
  const known = Object.keys(scope.states);
  const knownList = known.map((name) => `"${name}"`).join(', ');
  const containerPath = scope.statesPath === 'States' ? 'Definition' : scope.statesPath.slice(0, -'.States'.length);
  const startAt = scope.machine.StartAt as string;
  if (!Object.hasOwn(scope.states, startAt)) {
    throw definitionProblem(containerPath, 'StartAt', `"${startAt}" is not a state of ${scope.statesPath} (states: ${knownList})`);
  }
  for (const [name, state] of Object.entries(scope.states)) {
    for (const { field, target } of transitionsOf(state)) {
      if (typeof target !== 'string' || target === '') {
        throw definitionProblem(`${scope.statesPath}.${name}`, field, `must name a state, got ${JSON.stringify(target) ?? 'nothing'}`);
      }
      if (!Object.hasOwn(scope.states, target)) {
        throw definitionProblem(
          `${scope.statesPath}.${name}`,
          field,
          `"${target}" is not a state of ${scope.statesPath}; a transition can only reach states in the same States object (states: ${knownList})`,
        );
      }
    }
  }
}
