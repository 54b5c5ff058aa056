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

/** Every state inside a Map → how many Map states (inline or distributed) enclose it. */
export function mapDepths(machine: AslMachineLike): Map<string, number> {
  const depths = new Map<string, number>();
  const visit = (states: Record<string, AslStateLike> | undefined, depth: number): void => {
    for (const [name, state] of Object.entries(states ?? {})) {
      if (depth > 0) depths.set(name, depth);
      for (const branch of state.Branches ?? []) visit(branch.States, depth);
      visit((state.ItemProcessor ?? state.Iterator)?.States, depth + 1);
    }
  };
  visit(machine.States, 0);
  return depths;
}

/** What changed between two definitions, state by state (nested states included). */
export interface DefinitionChanges {
  added: string[];
  removed: string[];
  changed: string[];
  /** StartAt, QueryLanguage, TimeoutSeconds and other top-level fields. */
  topLevel: string[];
}

function withoutNested(state: AslStateLike): unknown {
  const copy: Record<string, unknown> = { ...state };
  if (copy.Branches) copy.Branches = (state.Branches ?? []).map((branch) => ({ ...branch, States: Object.keys(branch.States ?? {}) }));
  for (const field of ['ItemProcessor', 'Iterator'] as const) {
    const processor = state[field] as AslMachineLike | undefined;
    if (processor) copy[field] = { ...processor, States: Object.keys(processor.States ?? {}) };
  }
  return copy;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function definitionChanges(from: AslMachineLike, to: AslMachineLike): DefinitionChanges {
  const before = allStates(from);
  const after = allStates(to);
  const changes: DefinitionChanges = { added: [], removed: [], changed: [], topLevel: [] };
  for (const [name, state] of after) {
    const old = before.get(name);
    if (!old) changes.added.push(name);
    else if (canonical(withoutNested(old)) !== canonical(withoutNested(state))) changes.changed.push(name);
  }
  for (const name of before.keys()) if (!after.has(name)) changes.removed.push(name);
  const fields = new Set([...Object.keys(from), ...Object.keys(to)].filter((key) => key !== 'States'));
  for (const field of fields) {
    if (canonical((from as Record<string, unknown>)[field]) !== canonical((to as Record<string, unknown>)[field])) changes.topLevel.push(field);
  }
  return changes;
}

export function hasChanges(changes: DefinitionChanges): boolean {
  return changes.added.length + changes.removed.length + changes.changed.length + changes.topLevel.length > 0;
}
