/** The local Amazon States Language engine: public API. */
export {
  runExecution,
  loadDefinition,
  DEFAULT_STATE_MACHINE_ARN,
  type ExecutionOptions,
  type ExecutionResult,
  type StartPoint,
} from './execution.js';
export { redriveExecution, type RedriveOptions } from './redrive.js';
export { systemClock, scaledClock, VirtualClock, type Clock } from './clock.js';
export { TaskFailedError, taskRegistryFrom, type TaskHandler, type TaskInvocation, type TaskRegistry } from './task-dispatch.js';
export type { ContextObject } from './context-object.js';
export type { HistoryEvent, HistoryEventDetails, HistoryEventType } from './history/history-event.js';
export type { MapRunRecord, ChildExecutionRecord } from './run-context.js';
export type { StateMachineDefinition, StateDefinition, QueryLanguage } from './definition.js';
export { DefinitionError } from './errors/definition-error.js';
export { StatesError } from './errors/states-error.js';
export { StatesErrorName } from './errors/error-names.js';
export { classifyResource, type ResourceKind } from './resource.js';
export { retryDelaySeconds, RetryDefaults } from './retry.js';
export type { ContextOverrides } from './context-overrides.js';
