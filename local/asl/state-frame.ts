import { stateContext, type ContextObject, type MapItemContext } from './context-object.js';
import type { Catcher, QueryLanguage, StateDefinition } from './definition.js';
import { evaluateJsonataTemplate, isJsonataTemplate, jsonataSource, jsonTypeName, type StatesBinding } from './data-flow/jsonata.js';
import type { PathLookup, PathScope } from './data-flow/jsonpath.js';
import {
  applyOutputPath,
  applyPayloadTemplate,
  applyResultPath,
  evaluateJsonPathAssign,
  resolvePathNumber,
  type PathNumberKind,
} from './data-flow/state-io.js';
import { StateFailure } from './errors/state-failure.js';
import { StatesErrorName } from './errors/error-names.js';
import { StatesError } from './errors/states-error.js';
import type { Thread } from './run-context.js';

/** State types with Retry: only their `$$.State` carries RetryCount (AWS leaves it out of Pass, Choice, ...). */
const RETRYING_TYPES = new Set(['Task', 'Map', 'Parallel']);

/**
 * The scope JSONPath references of one state resolve in. The context object is built on first use:
 * most paths never read `$$`, and InputPath/OutputPath ask for a scope on every state.
 */
class FramePathScope implements PathScope {
  private built: ContextObject | undefined;

  constructor(
    readonly input: unknown,
    private readonly frame: StateFrame,
  ) {}

  get context(): ContextObject {
    return (this.built ??= this.frame.context());
  }

  variable(name: string): PathLookup {
    return this.frame.thread.variables.lookup(name);
  }
}

/** What a state hands to the next one. */
export interface StateOutput {
  output: unknown;
  /** Variables the state's (or the matching Catch's/Choice rule's) Assign produced. */
  assigned?: Record<string, unknown>;
}

/**
 * One state being executed: its raw input, when it was entered, how often it was retried, and the
 * evaluation of its fields in the state's query language.
 */
export class StateFrame {
  readonly language: QueryLanguage;
  retryCount = 0;
  /** Id of this state's Entered event (AWS names it in the causes of runtime failures). */
  enteredEventId = 0;
  taskToken: string | undefined;
  /** Set while a Map state evaluates ItemSelector for one item: `$$.Map.Item`. */
  mapItem: MapItemContext | undefined;

  constructor(
    readonly thread: Thread,
    readonly name: string,
    readonly state: StateDefinition,
    readonly rawInput: unknown,
    readonly enteredTime: Date,
  ) {
    this.language = state.QueryLanguage ?? thread.run.queryLanguage;
  }

  get isJsonata(): boolean {
    return this.language === 'JSONata';
  }

  context(): ContextObject {
    const { run } = this.thread;
    const mapItem = this.mapItem ?? this.thread.mapItem;
    return stateContext(
      { Execution: run.execution, StateMachine: run.stateMachine, ...(mapItem ? { Map: { Item: mapItem } } : {}) },
      {
        name: this.name,
        enteredTime: this.enteredTime,
        retryCount: RETRYING_TYPES.has(this.state.Type) ? this.retryCount : undefined,
        taskToken: this.taskToken,
      },
    );
  }

  pathScope(input: unknown): PathScope {
    return new FramePathScope(input, this);
  }

  statesBinding(extra: { result?: unknown; errorOutput?: unknown } = {}): StatesBinding {
    return { input: this.rawInput, context: this.context(), ...extra };
  }

  /** Evaluates a JSONata-capable field (Arguments, Output, Items, ...); `{% %}` strings anywhere inside. */
  jsonata(value: unknown, field: string, extra: { result?: unknown; errorOutput?: unknown } = {}): Promise<unknown> {
    return evaluateJsonataTemplate(value, this.statesBinding(extra), this.thread.variables.visible(), field);
  }

  /**
   * A numeric field that is a literal, a JSONata expression (JSONata states) or given by a `*Path`
   * field (JSONPath states). undefined when neither is set.
   */
  async numberField(
    field: string,
    value: unknown,
    path: string | undefined,
    pathInput: unknown,
    kind: PathNumberKind = 'integer',
  ): Promise<number | undefined> {
    if (typeof value === 'number') return value;
    if (isJsonataTemplate(value)) {
      const evaluated = await this.jsonata(value, field);
      if (typeof evaluated !== 'number' || !Number.isFinite(evaluated) || (kind !== 'float' && !Number.isInteger(evaluated))) {
        const expected = kind === 'float' ? 'number' : 'integer';
        throw new StateFailure(
          StatesErrorName.QueryEvaluationError,
          `The JSONata expression '${jsonataSource(value)}' specified for the field '${field}' returned an unexpected result type. Expected '${expected}', but was '${jsonTypeName(evaluated)}' for value: ${JSON.stringify(evaluated)}`,
        );
      }
      return evaluated;
    }
    if (path !== undefined) return resolvePathNumber(path, `${field}Path`, this.pathScope(pathInput), kind);
    return undefined;
  }

  /**
   * Output processing of a state that produced a result (Task, Map, Parallel, Pass):
   * JSONPath ResultSelector → Assign → ResultPath → OutputPath, or JSONata Output + Assign.
   */
  async finishWithResult(result: unknown, options: { resultSelector?: boolean } = {}): Promise<StateOutput> {
    const state = this.state;
    if (this.isJsonata) {
      const output = state.Output === undefined ? result : await this.jsonata(state.Output, 'Output', { result });
      const assigned = state.Assign ? ((await this.jsonata(state.Assign, 'Assign', { result })) as Record<string, unknown>) : undefined;
      return { output, ...(assigned ? { assigned } : {}) };
    }
    const selected = options.resultSelector !== false && state.ResultSelector !== undefined
      ? applyPayloadTemplate(state.ResultSelector, this.pathScope(result), 'ResultSelector')
      : result;
    const assigned = state.Assign ? evaluateJsonPathAssign(state.Assign, this.pathScope(selected)) : undefined;
    const combined = applyResultPath(this.name, this.rawInput, state.ResultPath, selected);
    const output = applyOutputPath(this.pathScope(combined), state.OutputPath);
    return { output, ...(assigned ? { assigned } : {}) };
  }

  /** Output processing of states without a result (Choice, Wait, Succeed): OutputPath or Output. */
  async finishWithoutResult(effectiveInput: unknown, assign = this.state.Assign, outputTemplate = this.state.Output): Promise<StateOutput> {
    if (this.isJsonata) {
      const output = outputTemplate === undefined ? this.rawInput : await this.jsonata(outputTemplate, 'Output');
      const assigned = assign ? ((await this.jsonata(assign, 'Assign')) as Record<string, unknown>) : undefined;
      return { output, ...(assigned ? { assigned } : {}) };
    }
    const assigned = assign ? evaluateJsonPathAssign(assign, this.pathScope(effectiveInput)) : undefined;
    const output = applyOutputPath(this.pathScope(effectiveInput), this.state.OutputPath);
    return { output, ...(assigned ? { assigned } : {}) };
  }

  /** What a matching Catch hands to its Next state: ResultPath over the raw input, or Output + Assign. */
  async finishWithError(error: StatesError, catcher: Catcher): Promise<StateOutput> {
    const errorOutput = error.toErrorOutput();
    if (this.isJsonata) {
      const output = catcher.Output === undefined ? errorOutput : await this.jsonata(catcher.Output, 'Output', { errorOutput });
      const assigned = catcher.Assign
        ? ((await this.jsonata(catcher.Assign, 'Assign', { errorOutput })) as Record<string, unknown>)
        : undefined;
      return { output, ...(assigned ? { assigned } : {}) };
    }
    const assigned = catcher.Assign ? evaluateJsonPathAssign(catcher.Assign, this.pathScope(errorOutput)) : undefined;
    const output = applyResultPath(this.name, this.rawInput, catcher.ResultPath, errorOutput);
    return { output, ...(assigned ? { assigned } : {}) };
  }
}
