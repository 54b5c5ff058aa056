/**
 * `arn:aws:states:::lambda:invoke` (result: the Invoke envelope with the parsed Payload) and bare
 * function ARNs (result: the payload alone). A function error fails the task with the
 * function's errorType as the error name and `{errorMessage, errorType, trace}` as the cause.
 */
import { TaskFailedError, type TaskHandler } from '../../asl/task-dispatch.js';
import { optimizedErrorName } from '../error-names.js';
import { sdkHttpMetadata } from '../states-json.js';
import { callService, parametersOf, type IntegrationContext } from './context.js';

function parsePayload(payload: unknown): unknown {
  const text = payload instanceof Uint8Array ? new TextDecoder().decode(payload) : typeof payload === 'string' ? payload : '';
  return text.length === 0 ? null : JSON.parse(text);
}

async function invoke(context: IntegrationContext, input: Record<string, unknown>): Promise<{ output: Record<string, unknown>; payload: unknown }> {
  const output = await callService(context, 'lambda', 'Invoke', input, (code) => optimizedErrorName('lambda', code));
  const payload = parsePayload(output.Payload);
  if (output.FunctionError !== undefined) {
    const failure = (payload ?? {}) as { errorType?: string; errorMessage?: string; trace?: string[] };
    const cause: Record<string, unknown> = { errorMessage: failure.errorMessage, errorType: failure.errorType };
    if (failure.trace !== undefined) cause.trace = failure.trace;
    throw new TaskFailedError(failure.errorType ?? 'Lambda.Unknown', JSON.stringify(cause));
  }
  return { output, payload };
}

export function lambdaInvokeHandler(context: IntegrationContext): TaskHandler {
  return async (invocation) => {
    const parameters = parametersOf(invocation);
    // Step Functions accepts Payload as JSON and serializes it for Lambda.
    const input = { ...parameters, Payload: JSON.stringify(parameters.Payload ?? {}) };
    const { output, payload } = await invoke(context, input);
    return {
      ExecutedVersion: output.ExecutedVersion ?? '$LATEST',
      Payload: payload,
      ...sdkHttpMetadata(`${invocation.stateName}-${invocation.attempt}`),
      StatusCode: output.StatusCode ?? 200,
    };
  };
}

export function bareLambdaHandler(context: IntegrationContext, functionArn: string): TaskHandler {
  return async (invocation) => {
    const { payload } = await invoke(context, { FunctionName: functionArn, Payload: JSON.stringify(invocation.parameters ?? {}) });
    return payload;
  };
}
