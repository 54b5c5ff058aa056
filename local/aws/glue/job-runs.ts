/** Glue job definitions and job-run records, persisted under `<stateDir>/glue/` with atomic writes. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../state/atomic-write.js';

export type JobRunState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';

export interface JobDefinition {
  Name: string;
  /** Command.ScriptLocation when created through CreateJob. */
  ScriptLocation?: string;
  DefaultArguments: Record<string, string>;
  MaxConcurrentRuns: number;
  GlueVersion?: string;
  WorkerType?: string;
  NumberOfWorkers?: number;
  /** Minutes. */
  Timeout?: number;
}

export interface JobRunRecord {
  Id: string;
  JobName: string;
  Attempt: number;
  JobRunState: JobRunState;
  Arguments: Record<string, string>;
  StartedOn: string;
  LastModifiedOn: string;
  CompletedOn?: string;
  /** Seconds, as Glue reports it. */
  ExecutionTime: number;
  ErrorMessage?: string;
  GlueVersion?: string;
  WorkerType?: string;
  NumberOfWorkers?: number;
  Timeout?: number;
  /** The process running it: a run whose process is gone is reported FAILED. */
  pid: number;
  /** Job statistics written by the local runner. */
  stats?: unknown;
}

export class GlueStore {
  constructor(private readonly stateDir: string) {}

  private jobPath(name: string): string {
    return join(this.stateDir, 'glue', 'jobs', `${encodeURIComponent(name)}.json`);
  }

  private runDir(jobName: string): string {
    return join(this.stateDir, 'glue', 'job-runs', encodeURIComponent(jobName));
  }

  readJob(name: string): JobDefinition | undefined {
    const path = this.jobPath(name);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as JobDefinition) : undefined;
  }

  async writeJob(job: JobDefinition): Promise<void> {
    await writeJsonAtomic(this.jobPath(job.Name), job);
  }

  readRun(jobName: string, runId: string): JobRunRecord | undefined {
    const path = join(this.runDir(jobName), `${encodeURIComponent(runId)}.json`);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as JobRunRecord) : undefined;
  }

  async writeRun(run: JobRunRecord): Promise<void> {
    await writeJsonAtomic(join(this.runDir(run.JobName), `${encodeURIComponent(run.Id)}.json`), run);
  }

  /** Newest first. */
  listRuns(jobName: string): JobRunRecord[] {
    const dir = this.runDir(jobName);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as JobRunRecord)
      .sort((a, b) => b.StartedOn.localeCompare(a.StartedOn) || b.Id.localeCompare(a.Id));
  }
}
