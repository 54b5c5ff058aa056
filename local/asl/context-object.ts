/** The context object: `$$` in JSONPath, `$states.context` in JSONata. */
export interface ContextObject {
  Execution: {
    Id: string;
    Input: unknown;
    Name: string;
    RoleArn: string;
    StartTime: string;
    RedriveCount: number;
    RedriveTime?: string;
  };
  State: {
    EnteredTime: string;
    Name: string;
    /** Only in states that can retry (Task, Map, Parallel): AWS omits it elsewhere. */
    RetryCount?: number;
  };
  StateMachine: {
    Id: string;
    Name: string;
  };
  Task?: {
    Token: string;
  };
  Map?: {
    Item: {
      Index: number;
      Value: unknown;
    };
  };
}

export type ExecutionContext = ContextObject['Execution'];
export type StateMachineContext = ContextObject['StateMachine'];
export type MapItemContext = NonNullable<ContextObject['Map']>['Item'];

export function stateContext(
  base: { Execution: ExecutionContext; StateMachine: StateMachineContext; Map?: ContextObject['Map'] },
  state: { name: string; enteredTime: Date; retryCount?: number | undefined; taskToken?: string | undefined },
): ContextObject {
  const context: ContextObject = {
    Execution: base.Execution,
    State:
      state.retryCount === undefined
        ? { EnteredTime: state.enteredTime.toISOString(), Name: state.name }
        : { EnteredTime: state.enteredTime.toISOString(), Name: state.name, RetryCount: state.retryCount },
    StateMachine: base.StateMachine,
  };
  if (state.taskToken !== undefined) context.Task = { Token: state.taskToken };
  if (base.Map !== undefined) context.Map = base.Map;
  return context;
}
