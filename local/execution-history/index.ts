/**
 * Execution histories, one module for every reader: local executions on disk in the shapes of
 * DescribeExecution and GetExecutionHistory (the store), recording files as `pricesense record`
 * writes them for AWS executions, where an event belongs (lineage), how a history ends and what
 * each state did (the timeline). The runner writes through it; replay, the inspector, the run
 * summary and the CLI read through it, so a local run and a run recorded from AWS read alike.
 */
export {
  ExecutionStore,
  ExecutionAlreadyExistsError,
  describeExecution,
  executionNameProblem,
  EXECUTION_NAME,
  RECORDING_FILE,
  type ExecutionStatus,
  type StoredExecution,
} from './execution-store.js';
export {
  parseRecordedExecution,
  readRecordedExecution,
  readDefinitionFile,
  executionInputOf,
  HistoryFileError,
  type RecordedExecution,
} from './history-file.js';
export { loadExecutionSource } from './execution-source.js';
export { EventLineage } from './event-lineage.js';
export { CLOSING_EVENT_TYPES, isClosingEvent, outcomeOf, type ExecutionOutcome } from './execution-outcome.js';
export { buildStateTimeline, stateDurations, type StateOutcome, type StateRecord } from './state-timeline.js';
export { parseHistoryJson } from './history-json.js';
