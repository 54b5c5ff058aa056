/** `arn:aws:states:::athena:startQueryExecution[.sync]` and `athena:getQueryResults`. */
import { TaskFailedError, type TaskHandler } from '../../asl/task-dispatch.js';
import { optimizedErrorName } from '../error-names.js';
import { pollUntil } from '../poll.js';
import { stopJobIfCancelled } from '../stop-on-cancel.js';
import { sdkHttpMetadata, toStatesJson } from '../states-json.js';
import { callService, parametersOf, pollOptions, type IntegrationContext } from './context.js';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const athenaError = (code: string) => optimizedErrorName('athena', code);

export function athenaStartQueryHandler(context: IntegrationContext, sync: boolean): TaskHandler {
  return async (invocation) => {
    const started = await callService(context, 'athena', 'StartQueryExecution', parametersOf(invocation), athenaError);
    const withMetadata = { ...started, ...sdkHttpMetadata(String(started.QueryExecutionId)) };
    if (!sync) return toStatesJson(withMetadata, 'epochMillis');
    invocation.submitted(await toStatesJson(withMetadata, 'epochMillis'));
    const described = await stopJobIfCancelled(
      invocation.signal,
      () => context.localAws.call('athena', 'StopQueryExecution', { QueryExecutionId: started.QueryExecutionId }),
      () =>
        pollUntil(
          () => callService(context, 'athena', 'GetQueryExecution', { QueryExecutionId: started.QueryExecutionId }, athenaError),
          (out) => TERMINAL.has(String(((out.QueryExecution as Record<string, unknown> | undefined)?.Status as Record<string, unknown> | undefined)?.State)),
          pollOptions(context, invocation),
        ),
    );
    const result = (await toStatesJson(described, 'epochMillis')) as Record<string, unknown>;
    const state = ((result.QueryExecution as Record<string, unknown>).Status as Record<string, unknown>).State;
    if (state !== 'SUCCEEDED') throw new TaskFailedError('States.TaskFailed', JSON.stringify(result));
    return result;
  };
}

export function athenaGetQueryResultsHandler(context: IntegrationContext): TaskHandler {
  return async (invocation) => {
    const output = await callService(context, 'athena', 'GetQueryResults', parametersOf(invocation), athenaError);
    return toStatesJson({ ...output, ...sdkHttpMetadata(String(parametersOf(invocation).QueryExecutionId)) }, 'epochMillis');
  };
}
