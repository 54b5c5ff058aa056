/** Resolves the EXECUTION|HISTORY.json argument of `replay` and `inspect` to a recording. */
import { existsSync } from 'node:fs';
import { ExecutionStore } from '../runtime/execution-store.js';
import { parseRecordedExecution, readRecordedExecution, type RecordedExecution } from './history-file.js';

export function loadExecutionSource(reference: string, stateDir: string): RecordedExecution & { source: 'file' | 'local' } {
  if (reference.endsWith('.json') || existsSync(reference)) {
    return { ...readRecordedExecution(reference), source: 'file' };
  }
  const store = new ExecutionStore(stateDir);
  const execution = store.read(reference);
  const recording = parseRecordedExecution(
    { execution, definition: store.definition(reference), events: store.events(reference), mapRuns: store.mapRuns(reference) },
    `local execution ${reference}`,
  );
  return { ...recording, source: 'local' };
}
