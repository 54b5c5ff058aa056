/**
 * SageMaker optimized integrations: request/response creates and the `.sync` jobs
 * (`createTrainingJob.sync`, `createTransformJob.sync`, `createHyperParameterTuningJob.sync`) whose result is the Describe output.
 * Job names come from the execution name, so on redrive a create that finds its own finished
 * job reuses it instead of failing with ResourceInUse.
 */
import { TaskFailedError, type TaskHandler } from '../../asl/task-dispatch.js';
import { AwsServiceError } from '../../aws/emulator.js';
import { sageMakerOptimizedErrorName } from '../error-names.js';
import { pollUntil } from '../poll.js';
import { stopJobIfCancelled } from '../stop-on-cancel.js';
import { sdkHttpMetadata, toStatesJson } from '../states-json.js';
import { callService, parametersOf, pollOptions, type IntegrationContext } from './context.js';

export interface SageMakerJobKind {
  create: string;
  describe: string;
  /** What Step Functions calls, best effort, when the task is cancelled while the job runs. */
  stop: string;
  nameField: string;
  arnField: string;
  statusField: string;
  completed: string;
}

export const TRAINING_JOB: SageMakerJobKind = {
  create: 'CreateTrainingJob',
  describe: 'DescribeTrainingJob',
  stop: 'StopTrainingJob',
  nameField: 'TrainingJobName',
  arnField: 'TrainingJobArn',
  statusField: 'TrainingJobStatus',
  completed: 'Completed',
};

export const TRANSFORM_JOB: SageMakerJobKind = {
  create: 'CreateTransformJob',
  describe: 'DescribeTransformJob',
  stop: 'StopTransformJob',
  nameField: 'TransformJobName',
  arnField: 'TransformJobArn',
  statusField: 'TransformJobStatus',
  completed: 'Completed',
};

/** `createHyperParameterTuningJob.sync`: the result is DescribeHyperParameterTuningJob's output. */
export const TUNING_JOB: SageMakerJobKind = {
  create: 'CreateHyperParameterTuningJob',
  describe: 'DescribeHyperParameterTuningJob',
  stop: 'StopHyperParameterTuningJob',
  nameField: 'HyperParameterTuningJobName',
  arnField: 'HyperParameterTuningJobArn',
  statusField: 'HyperParameterTuningJobStatus',
  completed: 'Completed',
};

const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/** `createModel`, `createEndpointConfig`, `createEndpoint`, `updateEndpoint`, ...: request/response. */
export function sageMakerRequestHandler(context: IntegrationContext, action: string): TaskHandler {
  return async (invocation) => {
    const output = await callService(context, 'sagemaker', action, parametersOf(invocation), sageMakerOptimizedErrorName);
    return toStatesJson({ ...output, ...sdkHttpMetadata(`${invocation.stateName}-${invocation.attempt}`) }, 'epochMillis');
  };
}

export function sageMakerJobHandler(context: IntegrationContext, kind: SageMakerJobKind, sync: boolean): TaskHandler {
  return async (invocation) => {
    const parameters = parametersOf(invocation);
    const name = parameters[kind.nameField];
    const describe = () => callService(context, 'sagemaker', kind.describe, { [kind.nameField]: name }, sageMakerOptimizedErrorName);
    let started: Record<string, unknown>;
    try {
      started = await context.localAws.call('sagemaker', kind.create, parameters);
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      const existing = error.name === 'ResourceInUse' && sync ? await describe().catch(() => undefined) : undefined;
      // Reuse only our own job that finished or is still running; a failed one stays an error.
      if (!existing || !['Completed', 'InProgress'].includes(String(existing[kind.statusField]))) {
        throw new TaskFailedError(sageMakerOptimizedErrorName(error.name), error.message);
      }
      started = { [kind.arnField]: existing[kind.arnField] };
    }
    const startResponse = await toStatesJson({ ...started, ...sdkHttpMetadata(String(started[kind.arnField])) }, 'epochMillis');
    if (!sync) return startResponse;
    invocation.submitted(startResponse);
    const final = await stopJobIfCancelled(
      invocation.signal,
      () => context.localAws.call('sagemaker', kind.stop, { [kind.nameField]: name }),
      () => pollUntil(describe, (out) => TERMINAL.has(String(out[kind.statusField])), pollOptions(context, invocation)),
    );
    const result = await toStatesJson(final, 'epochMillis');
    if (final[kind.statusField] !== kind.completed) throw new TaskFailedError('States.TaskFailed', JSON.stringify(result));
    return result;
  };
}
