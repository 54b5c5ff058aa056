/**
 * Local executions on disk, in the shapes of DescribeExecution and GetExecutionHistory so that
 * `inspect`, `replay` and `redrive` read local runs and runs recorded from AWS alike.
 *
 *   <stateDir>/executions/<name>/execution.json   DescribeExecution-shaped summary
 *   <stateDir>/executions/<name>/definition.json  the ASL the run executed
 *   <stateDir>/executions/<name>/events.jsonl     history, appended event by event as it happens
 *   <stateDir>/executions/<name>/map-runs.json    Distributed Map runs with their child executions
 *   <stateDir>/executions/<name>/recording.json   written when the run (or a redrive) ends: the one
 *       self-contained recording, in the format `pricesense record` writes for AWS executions —
 *       {execution (DescribeExecution), definition, events, mapRuns}
 *
 * Events are appended as they happen, so a run killed mid-training leaves a readable history up
 * to its last complete line (a torn last line is ignored), which is what redrive resumes from.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../state/atomic-write.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StoredExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  /** When the last redrive started (DescribeExecution redriveDate). */
  redriveDate?: string;
  /** pid of the process running it, to tell a live run from one that was killed. */
  pid?: number;
}

/**
 * Letters, digits, `-` and `_`: within what Step Functions allows, valid in SageMaker job names
 * once derived, and never `.`/`..` or anything else that could leave the executions folder.
 */
export const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Why a name cannot be an execution name, or undefined when it can. */
export function executionNameProblem(name: string): string | undefined {
  return EXECUTION_NAME.test(name) ? undefined : `execution name ${JSON.stringify(name)} is not valid: expected 1-80 characters of A-Z a-z 0-9 - _`;
}

/** Another command (or an earlier run) already holds this execution name. */
export class ExecutionAlreadyExistsError extends Error {
  constructor(readonly executionName: string, root: string) {
    super(`An execution named ${executionName} already exists in ${root}; execution names are unique (use \`pricesense redrive ${executionName}\` to continue a failed one)`);
    this.name = 'ExecutionAlreadyExistsError';
  }
}

export const RECORDING_FILE = 'recording.json';

/** The DescribeExecution shape of a stored execution (what `pricesense record` keeps for AWS). */
export function describeExecution(execution: StoredExecution): Record<string, unknown> {
  const { pid: _pid, ...described } = execution;
  return {
    ...described,
    inputDetails: { included: true },
    ...(execution.output !== undefined ? { outputDetails: { included: true } } : {}),
    redriveStatus: execution.status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : execution.status === 'RUNNING' ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
  };
}

export class ExecutionStore {
  root: string;

  constructor(stateDir: string) {
    this.root = join(stateDir, 'executions');
  }

  /** A store over an executions folder found elsewhere (e.g. an execution folder given by path). */
  withRoot(root: string): ExecutionStore {
    const store = new ExecutionStore('.');
    store.root = root;
    return store;
  }

  dirOf(name: string): string {
    const problem = executionNameProblem(name);
    if (problem) throw new Error(problem.charAt(0).toUpperCase() + problem.slice(1));
    return join(this.root, name);
  }

  exists(name: string): boolean {
    return existsSync(join(this.dirOf(name), 'execution.json'));
  }

  /**
   * Claims the name by creating its folder: mkdir without `recursive` fails if it exists, so of two
   * commands starting the same name at once exactly one gets it.
   */
  async begin(execution: StoredExecution, definition: unknown): Promise<void> {
    const dir = this.dirOf(execution.name);
    mkdirSync(this.root, { recursive: true });
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ExecutionAlreadyExistsError(execution.name, this.root);
      throw error;
    }
    await writeJsonAtomic(join(dir, 'definition.json'), definition);
    await writeJsonAtomic(join(dir, 'execution.json'), execution);
  }

  /** Synchronous on purpose: the event is on disk before the engine moves on. */
  appendEvent(name: string, event: HistoryEvent): void {
    appendFileSync(join(this.dirOf(name), 'events.jsonl'), `${JSON.stringify(event)}\n`);
  }

  async finish(execution: StoredExecution, events: HistoryEvent[]): Promise<void> {
    const dir = this.dirOf(execution.name);
    await writeJsonAtomic(join(dir, RECORDING_FILE), {
      execution: describeExecution(execution),
      definition: this.definition(execution.name),
      events,
      mapRuns: this.mapRuns(execution.name),
    });
    await writeJsonAtomic(join(dir, 'execution.json'), execution);
  }

  /** The recording of a closed execution; undefined while it runs (or after a kill). */
  recording(name: string): { execution: Record<string, unknown>; definition: unknown; events: HistoryEvent[]; mapRuns: unknown[] } | undefined {
    const file = join(this.dirOf(name), RECORDING_FILE);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as { execution: Record<string, unknown>; definition: unknown; events: HistoryEvent[]; mapRuns: unknown[] };
  }

  /** The recording as far as the execution got: the closed one, or one assembled from the appended events. */
  currentRecording(name: string): { execution: Record<string, unknown>; definition: unknown; events: HistoryEvent[]; mapRuns: unknown[] } {
    const execution = this.read(name);
    const closed = execution.status === 'RUNNING' ? undefined : this.recording(name);
    if (closed) return closed;
    return { execution: describeExecution(execution), definition: this.definition(name), events: this.events(name), mapRuns: this.mapRuns(name) };
  }

  async update(execution: StoredExecution): Promise<void> {
    await writeJsonAtomic(join(this.dirOf(execution.name), 'execution.json'), execution);
  }

  read(name: string): StoredExecution {
    const file = join(this.dirOf(name), 'execution.json');
    if (!existsSync(file)) {
      const known = this.list().map((e) => e.name);
      throw new Error(`No local execution named ${JSON.stringify(name)}. Known: ${known.slice(0, 10).join(', ') || '(none yet)'}`);
    }
    return JSON.parse(readFileSync(file, 'utf8')) as StoredExecution;
  }

  definition(name: string): unknown {
    return JSON.parse(readFileSync(join(this.dirOf(name), 'definition.json'), 'utf8'));
  }

  /** The history as far as it got: history.json when the run ended, else the appended events. */
  events(name: string): HistoryEvent[] {
    const dir = this.dirOf(name);
    // After a redrive started, the appended events are newer than the last recording.
    const complete = join(dir, RECORDING_FILE);
    const running = existsSync(join(dir, 'execution.json')) && this.read(name).status === 'RUNNING';
    if (!running && existsSync(complete)) return (JSON.parse(readFileSync(complete, 'utf8')) as { events: HistoryEvent[] }).events;
    const appended = join(dir, 'events.jsonl');
    if (!existsSync(appended)) return [];
    const events: HistoryEvent[] = [];
    for (const line of readFileSync(appended, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        events.push(JSON.parse(line) as HistoryEvent);
      } catch {
        break; // a torn last line from a killed process
      }
    }
    return events;
  }

  /** Distributed Map runs (their children's histories are not in the parent history). */
  async writeMapRuns(name: string, mapRuns: readonly unknown[]): Promise<void> {
    await writeJsonAtomic(join(this.dirOf(name), 'map-runs.json'), { mapRuns });
  }

  mapRuns(name: string): unknown[] {
    const file = join(this.dirOf(name), 'map-runs.json');
    if (!existsSync(file)) return [];
    return (JSON.parse(readFileSync(file, 'utf8')) as { mapRuns: unknown[] }).mapRuns;
  }

  /** Where the execution's recording is (once it has closed). */
  historyPath(name: string): string {
    return join(this.dirOf(name), RECORDING_FILE);
  }

  /** Newest first. */
  list(): StoredExecution[] {
    if (!existsSync(this.root)) return [];
    const executions: StoredExecution[] = [];
    for (const name of readdirSync(this.root)) {
      const file = join(this.root, name, 'execution.json');
      if (!existsSync(file)) continue;
      try {
        executions.push(JSON.parse(readFileSync(file, 'utf8')) as StoredExecution);
      } catch {
        // being rewritten right now by another command: skip it this time
      }
    }
    return executions.sort((a, b) => b.startDate.localeCompare(a.startDate));
  }
}
