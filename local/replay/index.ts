/** Replay of recorded executions: public API. */
export { replayExecution, type ReplayOptions, type ReplayReport } from './replay-execution.js';
export { readRecordedExecution, parseRecordedExecution, executionInputOf, HistoryFileError, type RecordedExecution } from '../execution-history/history-file.js';
export { recordedAttempts, attemptKey, type RecordedAttempt, type RecordedOutcome } from './recorded-tasks.js';
export { replayRegistry, type ReplayRegistry } from './replay-registry.js';
export { stateVisits, type StateVisit } from './state-visits.js';
export { outcomeOf, type ExecutionOutcome } from '../execution-history/execution-outcome.js';
export { formatReplayReport } from './format-report.js';
export { allStates, statesInsideMaps } from './definition-walk.js';
export type { Divergence } from './divergence.js';
