/**
 * Resolves the RECORDING argument of `replay`, `inspect` and `mock-config`: a recording file (as
 * `pricesense record` or a local run writes it), an execution's folder, or a local execution name.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ExecutionStore, RECORDING_FILE } from './execution-store.js';
import { parseRecordedExecution, readRecordedExecution, type RecordedExecution } from './history-file.js';

function fromStore(store: ExecutionStore, name: string): RecordedExecution {
  return parseRecordedExecution(store.currentRecording(name), `local execution ${name}`);
}

export function loadExecutionSource(reference: string, stateDir: string): RecordedExecution & { source: 'file' | 'local' } {
  if (existsSync(reference) && statSync(reference).isDirectory()) {
    if (existsSync(join(reference, 'execution.json'))) {
      // An execution folder: read it through its store (a run still open has no recording yet).
      const folder = resolve(reference);
      return { ...fromStore(new ExecutionStore('.').withRoot(dirname(folder)), basename(folder)), source: 'local' };
    }
    const file = join(reference, RECORDING_FILE);
    if (existsSync(file)) return { ...readRecordedExecution(file), source: 'file' };
    throw new Error(`${reference} is a folder without ${RECORDING_FILE} or execution.json: give a recording file, an execution folder or a local execution name`);
  }
  if (reference.endsWith('.json') || existsSync(reference)) {
    return { ...readRecordedExecution(reference), source: 'file' };
  }
  return { ...fromStore(new ExecutionStore(stateDir), reference), source: 'local' };
}
