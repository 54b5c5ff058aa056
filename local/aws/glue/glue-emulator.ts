/**
 * Local AWS Glue: the catalog calls the local runtime makes from the synthesized template
 * (CreateDatabase, CreateTable, CreateJob and their Get*), and StartJobRun / GetJobRun /
 * GetJobRuns running the pricesense jobs on DuckDB in the background. Shapes and error names
 * follow @aws-sdk/client-glue.
 */
import { randomBytes } from 'node:crypto';
import { GlueJob } from '../../../workflow/resource-names.js';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { RequestValidator, SERVICE_VALIDATION } from '../request-validation.js';
import { GlueCatalog, type CatalogTable } from './catalog.js';
import { localRunnerFor } from './job-runners.js';
import { GlueStore, type JobDefinition, type JobRunRecord } from './job-runs.js';

export interface GlueJobOptions {
  name: string;
  /** @default 1 - Glue's default */
  maxConcurrentRuns?: number;
  defaultArguments?: Record<string, string>;
}

export interface GlueEmulatorOptions {
  stateDir: string;
  /** Jobs known without CreateJob. @default the two pricesense jobs (GlueJob) */
  jobs?: GlueJobOptions[];
}

const ACTIONS = [
  'StartJobRun',
  'BatchStopJobRun',
  'GetJobRun',
  'GetJobRuns',
  'CreateJob',
  'GetJob',
  'CreateDatabase',
  'GetDatabase',
  'CreateTable',
  'GetTable',
] as const;

const MAX_RESULTS = 200;

function isStringRecord(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}

const glue = new RequestValidator(SERVICE_VALIDATION.glue);

function requireName(input: Record<string, unknown>, member: string): string {
  return glue.requiredString(input, member, { maxLength: 255, expected: 'must be a string of 1-255 characters' });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class GlueEmulator implements AwsServiceEmulator {
  readonly service = 'glue';
  readonly actions: readonly string[] = ACTIONS;
  readonly catalog: GlueCatalog;
  private readonly store: GlueStore;
  private readonly configuredJobs = new Map<string, JobDefinition>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Runs of this process not yet finished, by run id: BatchStopJobRun aborts them. */
  private readonly stoppers = new Map<string, AbortController>();
  /** The last record write of each run of this process: writes land in order (STARTING, RUNNING, STOPPING, final). */
  private readonly lastWrite = new Map<string, Promise<void>>();
  /** Runs whose final record is being written: too late to stop. */
  private readonly finishing = new Set<string>();

  constructor(private readonly options: GlueEmulatorOptions) {
    this.store = new GlueStore(options.stateDir);
    this.catalog = new GlueCatalog(options.stateDir);
    const jobs: GlueJobOptions[] = options.jobs ?? Object.values(GlueJob).map((name) => ({ name }));
    for (const job of jobs) {
      this.configuredJobs.set(job.name, {
        Name: job.name,
        DefaultArguments: job.defaultArguments ?? {},
        MaxConcurrentRuns: job.maxConcurrentRuns ?? 1,
      });
    }
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (action) {
      case 'StartJobRun':
        return this.startJobRun(input);
      case 'GetJobRun':
        return this.getJobRun(input);
      case 'BatchStopJobRun':
        return this.batchStopJobRun(input);
      case 'GetJobRuns':
        return this.getJobRuns(input);
      case 'CreateJob':
        return this.createJob(input);
      case 'GetJob':
        return { Job: this.jobView(this.requireJob(requireName(input, 'JobName'))) };
      case 'CreateDatabase':
        await this.catalog.createDatabase(input);
        return {};
      case 'GetDatabase': {
        const { CreateTime, ...database } = this.catalog.getDatabase(requireName(input, 'Name'));
        return { Database: { ...database, CreateTime: new Date(CreateTime) } };
      }
      case 'CreateTable':
        await this.catalog.createTable(input);
        return {};
      case 'GetTable':
        return { Table: this.tableView(this.catalog.getTable(requireName(input, 'DatabaseName'), requireName(input, 'Name'))) };
      default:
        throw unsupportedAction(this.service, action, ACTIONS);
    }
  }

  /** Resolves when every job run started by this instance has finished (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private job(name: string): JobDefinition | undefined {
    return this.store.readJob(name) ?? this.configuredJobs.get(name);
  }

  private requireJob(name: string): JobDefinition {
    const job = this.job(name);
    if (!job) throw new AwsServiceError('EntityNotFoundException', `Job with name: ${name} not found.`);
    return job;
  }

  private jobView(job: JobDefinition): Record<string, unknown> {
    return {
      Name: job.Name,
      Command: job.ScriptLocation ? { Name: 'glueetl', ScriptLocation: job.ScriptLocation } : undefined,
      DefaultArguments: job.DefaultArguments,
      ExecutionProperty: { MaxConcurrentRuns: job.MaxConcurrentRuns },
      GlueVersion: job.GlueVersion,
      WorkerType: job.WorkerType,
      NumberOfWorkers: job.NumberOfWorkers,
      Timeout: job.Timeout,
    };
  }

  private tableView(table: CatalogTable): Record<string, unknown> {
    return { ...table, CreateTime: new Date(table.CreateTime) };
  }

  private async createJob(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = requireName(input, 'Name');
    if (this.store.readJob(name)) throw new AwsServiceError('AlreadyExistsException', `Job ${name} already exists.`);
    const command = input.Command as Record<string, unknown> | undefined;
    if (!command || typeof command.ScriptLocation !== 'string') {
      throw glue.error('Command.ScriptLocation is required: the S3 URI of the job script');
    }
    const defaults = input.DefaultArguments ?? {};
    if (!isStringRecord(defaults)) throw glue.error('DefaultArguments must map argument names to strings');
    validateJobArguments(defaults, 'DefaultArguments');
    const executionProperty = input.ExecutionProperty as Record<string, unknown> | undefined;
    const maxConcurrentRuns = Number(executionProperty?.MaxConcurrentRuns ?? 1);
    if (!Number.isInteger(maxConcurrentRuns) || maxConcurrentRuns < 1) {
      throw glue.error(`ExecutionProperty.MaxConcurrentRuns must be a whole number >= 1, got ${JSON.stringify(executionProperty?.MaxConcurrentRuns)}`);
    }
    await this.store.writeJob({
      Name: name,
      ScriptLocation: command.ScriptLocation,
      DefaultArguments: defaults,
      MaxConcurrentRuns: maxConcurrentRuns,
      GlueVersion: typeof input.GlueVersion === 'string' ? input.GlueVersion : undefined,
      WorkerType: typeof input.WorkerType === 'string' ? input.WorkerType : undefined,
      NumberOfWorkers: typeof input.NumberOfWorkers === 'number' ? input.NumberOfWorkers : undefined,
      Timeout: typeof input.Timeout === 'number' ? input.Timeout : undefined,
    });
    return { Name: name };
  }

  private async startJobRun(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const jobName = requireName(input, 'JobName');
    const args = input.Arguments ?? {};
    if (!isStringRecord(args)) {
      throw glue.error(`Arguments must map argument names to strings, got ${JSON.stringify(args)}`);
    }
    validateJobArguments(args as Record<string, string>, 'Arguments');
    const job = this.requireJob(jobName);
    const active = this.store.listRuns(jobName).filter((run) => ['RUNNING', 'STARTING', 'STOPPING'].includes(this.currentState(run)));
    if (active.length >= job.MaxConcurrentRuns) {
      throw new AwsServiceError(
        'ConcurrentRunsExceededException',
        `Concurrent runs exceeded for ${jobName}: MaxConcurrentRuns is ${job.MaxConcurrentRuns} and ${active.length} run(s) are active (${active.map((run) => run.Id).join(', ')}).`,
      );
    }
    const now = new Date().toISOString();
    const run: JobRunRecord = {
      Id: `jr_${randomBytes(32).toString('hex')}`,
      JobName: jobName,
      Attempt: 0,
      JobRunState: 'STARTING',
      Arguments: { ...job.DefaultArguments, ...args },
      StartedOn: now,
      LastModifiedOn: now,
      ExecutionTime: 0,
      GlueVersion: job.GlueVersion,
      WorkerType: job.WorkerType,
      NumberOfWorkers: job.NumberOfWorkers,
      Timeout: job.Timeout,
      pid: process.pid,
    };
    await this.writeInOrder(run);
    const execution = this.execute(job, run).finally(() => this.inFlight.delete(execution));
    this.inFlight.add(execution);
    return { JobRunId: run.Id };
  }

  private async execute(job: JobDefinition, run: JobRunRecord): Promise<void> {
    const started = Date.now();
    const stopper = new AbortController();
    this.stoppers.set(run.Id, stopper);
    let finished: JobRunRecord;
    try {
      await this.writeInOrder({ ...run, JobRunState: 'RUNNING', LastModifiedOn: new Date().toISOString() });
      const runner = localRunnerFor(job.Name, job.ScriptLocation);
      if (!runner) {
        throw new Error(`No local runner for job ${job.Name} (script ${job.ScriptLocation ?? 'unknown'}): the local Glue runs ${Object.values(GlueJob).join(' and ')}`);
      }
      const stats = await runner(run.Arguments, this.options.stateDir, stopper.signal);
      // A stop that came after the last query could not interrupt anything: the run completed.
      finished = { ...run, JobRunState: 'SUCCEEDED', stats };
    } catch (error) {
      finished = stopper.signal.aborted ? { ...run, JobRunState: 'STOPPED' } : { ...run, JobRunState: 'FAILED', ErrorMessage: error instanceof Error ? error.message : String(error) };
    }
    const end = new Date();
    finished.CompletedOn = end.toISOString();
    finished.LastModifiedOn = end.toISOString();
    finished.ExecutionTime = Math.max(1, Math.ceil((end.getTime() - started) / 1000));
    // From here on a stop cannot change the outcome: the final record is queued after any STOPPING.
    this.stoppers.delete(run.Id);
    this.finishing.add(run.Id);
    try {
      await this.writeInOrder(finished);
    } finally {
      this.finishing.delete(run.Id);
      this.lastWrite.delete(run.Id);
    }
  }

  private writeInOrder(run: JobRunRecord): Promise<void> {
    const write = (this.lastWrite.get(run.Id) ?? Promise.resolve()).catch(() => undefined).then(() => this.store.writeRun(run));
    this.lastWrite.set(run.Id, write);
    return write;
  }

  /** A run left STARTING/RUNNING by a process that is gone never finishes: report it FAILED. */
  private currentState(run: JobRunRecord): JobRunRecord['JobRunState'] {
    const gone = run.pid !== process.pid && !processAlive(run.pid);
    if ((run.JobRunState === 'RUNNING' || run.JobRunState === 'STARTING') && gone) return 'FAILED';
    if (run.JobRunState === 'STOPPING' && gone) return 'STOPPED';
    return run.JobRunState;
  }

  private runView(run: JobRunRecord): Record<string, unknown> {
    const state = this.currentState(run);
    const orphaned = state !== run.JobRunState;
    return {
      Id: run.Id,
      Attempt: run.Attempt,
      JobName: run.JobName,
      JobRunState: state,
      Arguments: run.Arguments,
      StartedOn: new Date(run.StartedOn),
      LastModifiedOn: new Date(run.LastModifiedOn),
      CompletedOn: run.CompletedOn ? new Date(run.CompletedOn) : undefined,
      ExecutionTime: run.ExecutionTime,
      ErrorMessage: orphaned ? `The process running this job (pid ${run.pid}) exited before the run finished.` : run.ErrorMessage,
      GlueVersion: run.GlueVersion,
      WorkerType: run.WorkerType,
      NumberOfWorkers: run.NumberOfWorkers,
      Timeout: run.Timeout,
    };
  }

  /**
   * Stops runs of this process: each goes STOPPING, its runner interrupts DuckDB, then STOPPED
   * (SUCCEEDED when the stop came after its last query). Per-run problems are listed in Errors
   * and the call itself succeeds, as Glue's API reference describes; Glue's error codes and
   * messages for an unknown job or a run that already ended are not documented: these name the cause.
   */
  private async batchStopJobRun(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const jobName = requireName(input, 'JobName');
    const ids = input.JobRunIds;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 25 || !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 255)) {
      throw glue.error(`JobRunIds must be a list of 1-25 job run ids, got ${JSON.stringify(ids)}`);
    }
    const SuccessfulSubmissions: Array<Record<string, string>> = [];
    const Errors: Array<Record<string, unknown>> = [];
    const error = (JobRunId: string, ErrorCode: string, ErrorMessage: string) => Errors.push({ JobName: jobName, JobRunId, ErrorDetail: { ErrorCode, ErrorMessage } });
    const job = this.job(jobName);
    for (const id of ids as string[]) {
      const run = job ? this.store.readRun(jobName, id) : undefined;
      if (!job) {
        error(id, 'EntityNotFoundException', `Job with name: ${jobName} not found.`);
        continue;
      }
      if (!run) {
        error(id, 'EntityNotFoundException', `Job run ${id} of job ${jobName} not found.`);
        continue;
      }
      const state = this.currentState(run);
      const stopper = this.stoppers.get(id);
      if (this.finishing.has(id)) {
        error(id, 'InvalidInputException', `Job run ${id} is finishing and cannot be stopped.`);
      } else if (stopper) {
        // The abort interrupts the runner at once; STOPPING is written after the writes before it
        // and before the final one (writeInOrder), so the record never goes back to STOPPING.
        if (!stopper.signal.aborted) {
          stopper.abort();
          await this.writeInOrder({ ...run, JobRunState: 'STOPPING', LastModifiedOn: new Date().toISOString() });
        }
        SuccessfulSubmissions.push({ JobName: jobName, JobRunId: id });
      } else if (state === 'STOPPING') {
        SuccessfulSubmissions.push({ JobName: jobName, JobRunId: id });
      } else if ((state === 'STARTING' || state === 'RUNNING') && run.pid !== process.pid) {
        error(id, 'InvalidInputException', `Job run ${id} runs in another local process (pid ${run.pid}); the local Glue stops only the runs of its own process.`);
      } else {
        error(id, 'InvalidInputException', `Job run ${id} is ${state} and cannot be stopped.`);
      }
    }
    return { SuccessfulSubmissions, Errors };
  }

  private getJobRun(input: Record<string, unknown>): Record<string, unknown> {
    const jobName = requireName(input, 'JobName');
    const runId = requireName(input, 'RunId');
    this.requireJob(jobName);
    const run = this.store.readRun(jobName, runId);
    if (!run) throw new AwsServiceError('EntityNotFoundException', `Job run ${runId} of job ${jobName} not found.`);
    return { JobRun: this.runView(run) };
  }

  private getJobRuns(input: Record<string, unknown>): Record<string, unknown> {
    const jobName = requireName(input, 'JobName');
    this.requireJob(jobName);
    const maxResults = glue.optionalNumber(input, 'MaxResults', { integer: true, min: 1, max: MAX_RESULTS, expected: `must be a whole number from 1 to ${MAX_RESULTS}` }) ?? MAX_RESULTS;
    const offset = input.NextToken === undefined ? 0 : Number.parseInt(String(input.NextToken), 10);
    if (!Number.isInteger(offset) || offset < 0) {
      throw glue.error(`NextToken ${JSON.stringify(input.NextToken)} was not returned by GetJobRuns`);
    }
    const runs = this.store.listRuns(jobName);
    const page = runs.slice(offset, offset + maxResults);
    const next = offset + maxResults < runs.length ? String(offset + maxResults) : undefined;
    return { JobRuns: page.map((run) => this.runView(run)), NextToken: next };
  }
}

/**
 * Names Glue uses internally: "you should never use them" (AWS Glue Developer Guide, "Using job
 * parameters in AWS Glue jobs").
 */
export const RESERVED_GLUE_ARGUMENTS = ['--conf', '--debug', '--mode', '--JOB_NAME'] as const;
/** "Job arguments have a maximum size limit of 260KB" (same page). */
export const MAX_JOB_ARGUMENT_BYTES = 260 * 1024;

/**
 * Job argument rules. The size limit is AWS's validation check. A name without the `--` prefix or
 * a reserved name is refused here at the call, stricter than AWS (which passes the pair to the
 * script, where getResolvedOptions never resolves it or Glue's own value collides): the local run
 * fails at the cause instead of inside the job. AWS's exact message for the size check is not
 * documented; this one names the rule.
 */
export function validateJobArguments(args: Record<string, string>, member: string): void {
  const size = Object.entries(args).reduce((total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
  if (size > MAX_JOB_ARGUMENT_BYTES) {
    throw glue.error(`${member}: job arguments have a maximum size limit of 260KB, got ${size} bytes`);
  }
  for (const name of Object.keys(args)) {
    if (!name.startsWith('--') || name.length < 3) {
      throw glue.error(`${member}: argument name ${JSON.stringify(name)} must start with "--" (scripts read --name value pairs with getResolvedOptions)`);
    }
    if ((RESERVED_GLUE_ARGUMENTS as readonly string[]).includes(name)) {
      throw glue.error(`${member}: ${name} is reserved for AWS Glue's internal use (${RESERVED_GLUE_ARGUMENTS.join(', ')})`);
    }
  }
}

