import type { PathLookup } from './data-flow/jsonpath.js';

/**
 * Workflow variables with AWS scoping: a Map iteration or Parallel branch gets a child scope that
 * reads its parents' variables but writes only its own, so nothing assigned inside leaks out.
 */
export class VariableScope {
  private readonly own = new Map<string, unknown>();

  constructor(
    private readonly parent?: VariableScope,
    initial?: Record<string, unknown>,
  ) {
    if (initial) for (const [name, value] of Object.entries(initial)) this.own.set(name, value);
  }

  child(): VariableScope {
    return new VariableScope(this);
  }

  lookup(name: string): PathLookup {
    if (this.own.has(name)) return { found: true, value: this.own.get(name) };
    return this.parent ? this.parent.lookup(name) : { found: false };
  }

  /** Applies one state's Assign at once, after all its values were evaluated. */
  assign(values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) this.own.set(name, value);
  }

  /** Every visible variable (inner scopes shadow outer ones), for JSONata bindings. */
  visible(): Record<string, unknown> {
    const outer = this.parent ? this.parent.visible() : {};
    for (const [name, value] of this.own) outer[name] = value;
    return outer;
  }

  /** Only this scope's own variables: what a redrive or replay needs to restore. */
  snapshot(): Record<string, unknown> {
    return Object.fromEntries(this.own);
  }
}
