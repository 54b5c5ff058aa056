/**
 * The pipeline ready to execute locally: the definition from `loadPipelineDefinition`, the
 * backend from `openLocalBackend` with the template's resources created, IAM enforcement of the
 * template's roles and a task registry that dispatches every Task to the emulators. `run`,
 * `watch` and `redrive` start here; executions and redrives keep their history in the
 * state directory (local/execution-history).
 */
import { randomBytes } from 'node:crypto';
import { redriveExecution, runExecution, scaledClock, type ExecutionResult, type TaskRegistry } from '../asl/index.js';
import type { HistoryEvent as EngineHistoryEvent, MapRunRecord } from '../asl/index.js';
import type { LocalAws } from '../aws/registry.js';
import type { LocalNames } from '../template/index.js';
import { createLocalTaskRegistry } from '../task-integrations/task-registry.js';
import { IamEnforcement } from '../iam/enforcement.js';
import type { DeepPartial, PipelineConfig } from '../../workflow/config.js';
import { TaskFunction } from '../../workflow/resource-names.js';
import { TaskEnv } from '../../workflow/task-environment.js';
import { BackgroundExecutions } from './background-executions.js';
import { LOCAL_EKS, loadPipelineDefinition } from '../backend/pipeline-definition.js';
import { openLocalBackend, type LocalBackend } from '../backend/open-local-backend.js';
import { ExecutionAlreadyExistsError, ExecutionStore, isClosingEvent, type StoredExecution } from '../execution-history/index.js';
import { withStateLock } from '../state/lock.js';
import type { HistoryEvent } from '@aws-sdk/client-sfn';

/**
 * Waits in the definition (endpoint/EKS polling, retry backoff) are real minutes on AWS; locally
 * they are divided by this so a run does not sit idle. Job polling of `.sync` tasks is separate.
 */
export const LOCAL_WAIT_SPEED_UP = 300;

export interface LocalPipeline {
  stateDir: string;
  config: PipelineConfig;
  definition: Record<string, unknown>;
  stateMachineArn: string;
  names: LocalNames;
  /** The emulators (opened through the one door). */
  backend: LocalBackend;
  /** `backend.aws`. */
  localAws: LocalAws;
  tasks: TaskRegistry;
  rawBucket: string;
  executions: ExecutionStore;
  /** Executions started through the local Step Functions API (e.g. by the S3 trigger Lambda). */
  background: BackgroundExecutions;
  /** IAM enforcement of this pipeline's calls; undefined with `iam: false`. */
  iam?: IamEnforcement;
}

export interface OpenOptions {
  stateDir: string;
  config?: DeepPartial<PipelineConfig>;
  onWarning?: (message: string) => void;
  /**
   * Authorize every call against the template's roles and policies, failing denied calls as AWS
   * does (local/iam). @default true
   */
  iam?: boolean;
  /** Uses this template instead of synthesizing (tests: a variant with a policy changed). */
  template?: object;
}

function environmentOf(names: LocalNames, taskName: string): Record<string, string> {
  for (const resource of names.values()) {
    if (resource.type !== 'AWS::Lambda::Function') continue;
    const variables = ((resource.properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {});
    if (variables[TaskEnv.ServiceName] === taskName) return variables;
  }
  throw new Error(`The synthesized template has no Lambda function with ${TaskEnv.ServiceName}=${taskName}`);
}

export async function openLocalPipeline(options: OpenOptions): Promise<LocalPipeline> {
  const loaded = await loadPipelineDefinition(options.config ?? {}, options.template ? { template: options.template } : {});
  const { config, names, definition, stateMachineArn } = loaded;
  const backend = await openLocalBackend({
    stateDir: options.stateDir,
    pipeline: loaded,
    eks: { clusterName: config.eks.clusterName || LOCAL_EKS.clusterName, namespace: config.eks.namespace, deploymentName: config.eks.deploymentName },
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  const localAws = backend.aws;
  const rawBucket = environmentOf(names, TaskFunction.ValidateInput)[TaskEnv.RawBucket];
  if (!rawBucket) throw new Error(`The validate-input function has no ${TaskEnv.RawBucket} variable in the template`);
  const executions = new ExecutionStore(options.stateDir);
  const iam =
    options.iam === false
      ? undefined
      : new IamEnforcement({
          names,
          stateMachineArn,
          localAws,
          persistDecisions: true,
          listObjectKeys: (bucket, prefix) => backend.handles.s3.walkKeys(bucket, prefix),
        });
  if (iam) {
    await iam.checkDeployment(definition);
    iam.install();
  } else {
    IamEnforcement.uninstall();
  }
  // A local describe is a file read (plus a cached IAM decision): polling every 25 ms costs little
  // and a finished job is seen 37 ms sooner on average than at 100 ms, on each of the run's
  // five to six `.sync` states.
  const integrations = createLocalTaskRegistry(iam ? iam.stateMachineAws : localAws, { pollIntervalMs: 25 });
  const pipeline: LocalPipeline = {
    stateDir: options.stateDir,
    config,
    definition,
    stateMachineArn,
    names,
    backend,
    localAws,
    tasks: iam ? iam.taskRegistry(integrations) : integrations,
    rawBucket,
    executions,
    background: new BackgroundExecutions(localAws, {
      stateMachineArn,
      executions,
      run: (name, input, onEvent) => startLocalExecution(pipeline, { input, executionName: name, onEvent }),
    }),
    ...(iam ? { iam } : {}),
  };
  return pipeline;
}

/** `run-20261121T130501-3fa2`: sortable, unique, valid as execution and S3 prefix. */
export function newExecutionName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `run-${stamp}-${randomBytes(2).toString('hex')}`;
}

export interface StartOptions {
  input: unknown;
  executionName?: string;
  onEvent?: (event: HistoryEvent) => void;
  signal?: AbortSignal;
}

function stored(pipeline: LocalPipeline, result: ExecutionResult | undefined, base: StoredExecution): StoredExecution {
  if (!result) return base;
  return {
    ...base,
    status: result.status,
    stopDate: result.stopDate.toISOString(),
    ...(result.output !== undefined ? { output: JSON.stringify(result.output) } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
  };
}

/** The history up to the event that closed the execution (see persistAndForward). */
function closedHistory(history: readonly EngineHistoryEvent[]): HistoryEvent[] {
  let end = history.length;
  for (let i = history.length - 1; i >= 0; i--) {
    if (isClosingEvent(history[i]!)) {
      end = i + 1;
      break;
    }
  }
  return history.slice(0, end) as unknown as HistoryEvent[];
}

/** Each event goes to disk before the engine moves on (what redrive after a kill reads), then to the caller. */
function persistAndForward(pipeline: LocalPipeline, name: string, onEvent?: (event: HistoryEvent) => void): (event: EngineHistoryEvent) => void {
  let closed = false;
  return (event) => {
    // A Task still in flight when the execution was stopped may report late (TaskSubmitted): the
    // closed history takes nothing after its closing event, as on AWS.
    if (closed) return;
    if (isClosingEvent(event)) closed = true;
    pipeline.executions.appendEvent(name, event as unknown as HistoryEvent);
    onEvent?.(event as unknown as HistoryEvent);
  };
}

/** Runs one execution of the pipeline and keeps its history in the state directory. */
export async function startLocalExecution(pipeline: LocalPipeline, options: StartOptions): Promise<ExecutionResult> {
  const name = options.executionName ?? newExecutionName();
  // Checked again, atomically, when begin() claims the folder; this earlier check only fails fast.
  if (pipeline.executions.exists(name)) throw new ExecutionAlreadyExistsError(name, pipeline.executions.root);
  const startDate = new Date();
  const base: StoredExecution = {
    executionArn: `${pipeline.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
    stateMachineArn: pipeline.stateMachineArn,
    name,
    status: 'RUNNING',
    startDate: startDate.toISOString(),
    input: JSON.stringify(options.input),
    redriveCount: 0,
    pid: process.pid,
  };
  await pipeline.executions.begin(base, pipeline.definition);
  const result = await runExecution({
    definition: pipeline.definition,
    input: options.input,
    executionName: name,
    stateMachineArn: pipeline.stateMachineArn,
    tasks: pipeline.tasks,
    clock: scaledClock(LOCAL_WAIT_SPEED_UP, { realTimeouts: true }),
    onEvent: persistAndForward(pipeline, name, options.onEvent),
    // $$.Execution.StartTime is the start date the description (and so the recording) keeps.
    contextOverrides: { startTime: startDate },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await pipeline.executions.writeMapRuns(name, result.mapRuns);
  await pipeline.executions.finish(stored(pipeline, result, base), closedHistory(result.history));
  return result;
}

/** Whether the process that ran an execution is gone (killed mid-run). */
export function isOrphaned(execution: StoredExecution): boolean {
  if (execution.status !== 'RUNNING' || execution.pid === undefined) return false;
  try {
    process.kill(execution.pid, 0);
    return execution.pid === process.pid;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — alive, not orphaned.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * Continues a failed, aborted or killed local execution with AWS RedriveExecution semantics: same
 * name, input and definition (the one stored with the run), successful states not re-run: a
 * Parallel branch that did not succeed resumes at its own unsuccessful state, and only failed Map
 * iterations and Distributed Map children re-run. A run whose process
 * was killed is first closed with ExecutionAborted. The execution is marked RUNNING under this
 * process while it runs, so a second redrive is refused and a kill during the redrive is seen.
 */
export async function redriveLocalExecution(
  pipeline: LocalPipeline,
  name: string,
  options: { onEvent?: (event: HistoryEvent) => void; signal?: AbortSignal } = {},
): Promise<ExecutionResult> {
  // Check and claim under a lock: of two redrives started together, the second sees RUNNING.
  const { previous, history, base } = await withStateLock(pipeline.stateDir, `execution-${name}`, async () => {
    const previous = pipeline.executions.read(name);
    const orphaned = isOrphaned(previous);
    if (previous.status === 'RUNNING' && !orphaned) {
      throw new Error(`Execution ${name} is still running (pid ${previous.pid}); only failed, aborted, timed-out or killed executions can be redriven`);
    }
    if (previous.status === 'SUCCEEDED') throw new Error(`Execution ${name} succeeded; only unsuccessful executions can be redriven`);
    // Events read back from disk carry ISO strings where the engine keeps Dates.
    let history = pipeline.executions
      .events(name)
      .map((event) => ({ ...event, timestamp: new Date(event.timestamp ?? 0) })) as unknown as EngineHistoryEvent[];
    if (orphaned) {
      history = closeKilledHistory(history);
      const closing = history.at(-1);
      if (closing?.type === 'ExecutionAborted') pipeline.executions.appendEvent(name, closing as unknown as HistoryEvent);
    }
    const redriveCount = previous.redriveCount + 1;
    const base: StoredExecution = { ...previous, status: 'RUNNING', redriveCount, redriveDate: new Date().toISOString(), pid: process.pid };
    delete base.error;
    delete base.cause;
    delete base.stopDate;
    delete base.output;
    await pipeline.executions.update(base);
    return { previous, history, base };
  });
  const previousMapRuns = pipeline.executions.mapRuns(name) as MapRunRecord[];
  const result = await redriveExecution({
    definition: pipeline.executions.definition(name) as object,
    history,
    previousMapRuns,
    executionName: name,
    stateMachineArn: previous.stateMachineArn,
    tasks: pipeline.tasks,
    clock: scaledClock(LOCAL_WAIT_SPEED_UP, { realTimeouts: true }),
    onEvent: persistAndForward(pipeline, name, options.onEvent),
    contextOverrides: { startTime: new Date(previous.startDate), redriveTime: new Date(base.redriveDate!) },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // A redriven Map Run keeps its ARN: its new record (kept and re-run children) replaces the old one.
  const redrivenArns = new Set(result.mapRuns.map((run) => run.mapRunArn));
  await pipeline.executions.writeMapRuns(name, [...previousMapRuns.filter((run) => !redrivenArns.has(run.mapRunArn)), ...result.mapRuns]);
  await pipeline.executions.finish(stored(pipeline, result, base), closedHistory(result.history));
  return result;
}

export const KILLED_CAUSE = 'The local process running this execution was killed';

/** A killed run's history stops mid-state: close it as AWS would an aborted execution. */
function closeKilledHistory(history: EngineHistoryEvent[]): EngineHistoryEvent[] {
  const last = history.at(-1);
  if (!last || /^Execution(Failed|Aborted|TimedOut)$/.test(String(last.type))) return history;
  const aborted = {
    id: last.id + 1,
    previousEventId: last.id,
    timestamp: new Date(),
    type: 'ExecutionAborted',
    executionAbortedEventDetails: { cause: KILLED_CAUSE },
  } as unknown as EngineHistoryEvent;
  return [...history, aborted];
}
