import { definitionProblem } from '../definition-problem.js';
import { isObject, type JsonObject } from '../definition-walk.js';

/**
 * Variables of an inner scope (a Parallel branch or a Map's ItemProcessor) must not shadow the
 * variables of an outer scope. The Step Functions developer guide ("Passing data between states with
 * variables", variable scope) says an inner-scope state cannot declare a variable that already
 * exists in an outer scope, and CreateStateMachine rejects such a definition; the engine used to
 * accept it and let the inner value hide the outer one.
 */
export function checkVariableScopes(definition: JsonObject): void {
  walkScope(definition, 'States', new Map());
}

/** Name → where it is assigned (state path), for the scopes enclosing the one being walked. */
type Declared = Map<string, string>;

function walkScope(machine: JsonObject, statesPath: string, outer: Declared): void {
  const states = isObject(machine.States) ? machine.States : {};
  const own: Declared = new Map();
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    const statePath = `${statesPath}.${name}`;
    for (const { variable, field } of assignedNames(state)) {
      const outerState = outer.get(variable);
      if (outerState !== undefined) {
        throw definitionProblem(
          statePath,
          field,
          `the variable '${variable}' is already declared in an outer scope (by ${outerState}); a state inside a Parallel branch or Map cannot declare a variable of the same name as an outer one: rename it`,
        );
      }
      if (!own.has(variable)) own.set(variable, statePath);
    }
  }
  const enclosing: Declared = new Map([...outer, ...own]);
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    const statePath = `${statesPath}.${name}`;
    if (Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, index) => {
        if (isObject(branch)) walkScope(branch, `${statePath}.Branches[${index}].States`, enclosing);
      });
    }
    for (const field of ['ItemProcessor', 'Iterator'] as const) {
      const processor = state[field];
      if (isObject(processor)) walkScope(processor, `${statePath}.${field}.States`, enclosing);
    }
  }
}

/** Every variable a state assigns: its own Assign, its Choice rules' and its Catchers'. */
function assignedNames(state: JsonObject): { variable: string; field: string }[] {
  const found: { variable: string; field: string }[] = [];
  const collect = (assign: unknown, field: string): void => {
    if (!isObject(assign)) return;
    for (const key of Object.keys(assign)) found.push({ variable: key.endsWith('.$') ? key.slice(0, -2) : key, field: `${field}.${key}` });
  };
  collect(state.Assign, 'Assign');
  if (Array.isArray(state.Choices)) state.Choices.forEach((rule, index) => isObject(rule) && collect(rule.Assign, `Choices[${index}].Assign`));
  if (Array.isArray(state.Catch)) state.Catch.forEach((catcher, index) => isObject(catcher) && collect(catcher.Assign, `Catch[${index}].Assign`));
  return found;
}
