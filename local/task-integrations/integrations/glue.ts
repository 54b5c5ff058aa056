/** `arn:aws:states:::glue:startJobRun[.sync]`. */
import { TaskFailedError, type TaskHandler } from '../../asl/task-dispatch.js';
import { optimizedErrorName } from '../error-names.js';
import { pollUntil } from '../poll.js';
import { stopJobIfCancelled } from '../stop-on-cancel.js';
import { sdkHttpMetadata, toStatesJson } from '../states-json.js';
import { callService, parametersOf, pollOptions, type IntegrationContext } from './context.js';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED']);
const glueError = (code: string) => optimizedErrorName('glue', code);

export function glueStartJobRunHandler(context: IntegrationContext, sync: boolean): TaskHandler {
  return async (invocation) => {
    const parameters = parametersOf(invocation);
    const started = await callService(context, 'glue', 'StartJobRun', parameters, glueError);
    const requestId = `${String(started.JobRunId)}-start`;
    if (!sync) return toStatesJson({ ...started, ...sdkHttpMetadata(requestId) }, 'epochMillis');
    invocation.submitted(await toStatesJson({ ...started, ...sdkHttpMetadata(requestId) }, 'epochMillis'));
    const described = await stopJobIfCancelled(
      invocation.signal,
      () => context.localAws.call('glue', 'BatchStopJobRun', { JobName: parameters.JobName, JobRunIds: [started.JobRunId] }),
      () =>
        pollUntil(
          () => callService(context, 'glue', 'GetJobRun', { JobName: parameters.JobName, RunId: started.JobRunId }, glueError),
          (out) => TERMINAL.has(String((out.JobRun as Record<string, unknown> | undefined)?.JobRunState)),
          pollOptions(context, invocation),
        ),
    );
    const jobRun = await toStatesJson(described.JobRun, 'epochMillis');
    const state = (jobRun as Record<string, unknown>).JobRunState;
    if (state !== 'SUCCEEDED') throw new TaskFailedError('States.TaskFailed', JSON.stringify(jobRun));
    return jobRun;
  };
}
