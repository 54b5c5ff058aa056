/** Facts about a definition that replay, redrive and the inspector need. */
export interface AslStateLike {
  Type?: string;
  Branches?: { StartAt?: string; States?: Record<string, AslStateLike> }[];
  ItemProcessor?: { StartAt?: string; States?: Record<string, AslStateLike> };
  Iterator?: { StartAt?: string; States?: Record<string, AslStateLike> };
  [field: string]: unknown;
}

export interface AslMachineLike {
  StartAt?: string;
  States?: Record<string, AslStateLike>;
}

/** Every state name → its definition, nested states included (names are unique machine-wide). */
export function allStates(machine: AslMachineLike): Map<string, AslStateLike> {
  const found = new Map<string, AslStateLike>();
  const visit = (states: Record<string, AslStateLike> | undefined): void => {
    for (const [name, state] of Object.entries(states ?? {})) {
      found.set(name, state);
      for (const branch of state.Branches ?? []) visit(branch.States);
      visit((state.ItemProcessor ?? state.Iterator)?.States);
    }
  };
  visit(machine.States);
  return found;
}

/** Names of the states that run inside a Map iteration (at any depth). */
export function statesInsideMaps(machine: AslMachineLike): Set<string> {
  const inside = new Set<string>();
  const visit = (states: Record<string, AslStateLike> | undefined, inMap: boolean): void => {
    for (const [name, state] of Object.entries(states ?? {})) {
      if (inMap) inside.add(name);
      for (const branch of state.Branches ?? []) visit(branch.States, inMap);
      visit((state.ItemProcessor ?? state.Iterator)?.States, true);
    }
  };
  visit(machine.States, false);
  return inside;
}
