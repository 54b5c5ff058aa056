export type QueryLanguage = 'JSONPath' | 'JSONata';
export type JsonObject = Record<string, unknown>;

/** One States object: the top-level machine, a Parallel branch or a Map's ItemProcessor/Iterator. */
export interface MachineScope {
  /** Path of the States object itself, e.g. "States" or "States.Fan.Branches[0].States". */
  statesPath: string;
  machine: JsonObject;
  states: Record<string, JsonObject>;
}

/** One state, with the query language it runs under. */
export interface StateVisit {
  name: string;
  /** e.g. "States.TrainModel" or "States.Fan.ItemProcessor.States.Step" */
  path: string;
  state: JsonObject;
  queryLanguage: QueryLanguage;
  scope: MachineScope;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every States object in the definition, outermost first. Assumes the shape checks passed:
 * each scope has a States object whose members are objects.
 */
export function scopesOf(definition: JsonObject): MachineScope[] {
  const scopes: MachineScope[] = [];
  const visit = (machine: JsonObject, statesPath: string) => {
    const states = machine.States as Record<string, JsonObject>;
    scopes.push({ statesPath, machine, states });
    for (const [name, state] of Object.entries(states)) {
      const statePath = `${statesPath}.${name}`;
      if (Array.isArray(state.Branches)) {
        state.Branches.forEach((branch, index) => {
          if (isObject(branch) && isObject(branch.States)) visit(branch, `${statePath}.Branches[${index}].States`);
        });
      }
      for (const field of ['ItemProcessor', 'Iterator'] as const) {
        const processor = state[field];
        if (isObject(processor) && isObject(processor.States)) visit(processor, `${statePath}.${field}.States`);
      }
    }
  };
  visit(definition, 'States');
  return scopes;
}

/** Every state of every scope. A state's language is its own QueryLanguage or the top-level one. */
export function statesOf(definition: JsonObject): StateVisit[] {
  const topLevel: QueryLanguage = definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  return scopesOf(definition).flatMap((scope) =>
    Object.entries(scope.states).map(([name, state]) => ({
      name,
      path: `${scope.statesPath}.${name}`,
      state,
      queryLanguage: state.QueryLanguage === 'JSONata' ? 'JSONata' : state.QueryLanguage === 'JSONPath' ? 'JSONPath' : topLevel,
      scope,
    })),
  );
}
