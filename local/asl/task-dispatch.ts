import type { ContextObject } from './context-object.js';

/** Everything a Task handler learns about one attempt of one Task state. */
export interface TaskInvocation {
  stateName: string;
  /** The Task's Resource as written in the definition. */
  resource: string;
  /** Effective input: after InputPath+Parameters, or the JSONata Arguments. */
  parameters: unknown;
  /** The context object as the state sees it ($$ / $states.context). */
  context: ContextObject;
  /** 0 for the first try, +1 per retry. */
  attempt: number;
  /**
   * Replay hook: the indices of the Map iterations (and Distributed Map child) the Task runs in,
   * outermost first. Not part of the context object: AWS shows `$$.Map` only to ItemSelector.
   */
  mapIndexPath?: readonly number[];
  /** Set for `.waitForTaskToken` resources. */
  taskToken?: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** Aborted on state timeout, heartbeat timeout or execution stop. */
  signal: AbortSignal;
  /** The state's Credentials field, if any. */
  credentials?: unknown;
  /** A `.sync` handler reports the start response here; it becomes the TaskSubmitted event. */
  submitted(response: unknown): void;
  /** Resets the HeartbeatSeconds timer. */
  heartbeat(): void;
}

export type TaskHandler = (invocation: TaskInvocation) => Promise<unknown>;

export interface TaskRegistry {
  /** undefined = no handler: the execution fails with States.Runtime naming state and resource. */
  handlerFor(target: { stateName: string; resource: string }): TaskHandler | undefined;
  /**
   * Optional check before a Distributed Map starts its child executions (IAM: states:StartExecution
   * on the state machine); a returned failure fails the Map state with that error and cause.
   */
  authorizeChildExecutions?(target: { stateName: string; stateMachineArn: string }): Promise<{ error: string; cause: string } | undefined>;
}

/**
 * Thrown by handlers: `error` becomes the States error name (e.g. "Lambda.TooManyRequestsException",
 * "ValidationError", "States.TaskFailed"), `cause` the cause string.
 */
export class TaskFailedError extends Error {
  constructor(
    readonly error: string,
    override readonly cause?: string,
  ) {
    super(cause === undefined ? error : `${error}: ${cause}`);
    this.name = 'TaskFailedError';
  }
}

/** A registry over a fixed map of resource → handler; handy for tests and simple local runs. */
export function taskRegistryFrom(handlers: Record<string, TaskHandler>): TaskRegistry {
  return {
    handlerFor: ({ resource }) => handlers[resource],
  };
}
