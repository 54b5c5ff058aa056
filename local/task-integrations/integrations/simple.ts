/** Request/response optimized integrations with nothing to wait for: SNS, EKS, S3 listing. */
import type { TaskHandler } from '../../asl/task-dispatch.js';
import { optimizedErrorName } from '../error-names.js';
import { sdkHttpMetadata, toStatesJson } from '../states-json.js';
import { callService, parametersOf, type IntegrationContext } from './context.js';

export function snsPublishHandler(context: IntegrationContext): TaskHandler {
  return async (invocation) => {
    const output = await callService(context, 'sns', 'Publish', parametersOf(invocation), (code) => optimizedErrorName('sns', code));
    return { ...output, ...sdkHttpMetadata(String(output.MessageId)) };
  };
}

/** `eks:call`: errors are named by the HTTP status (`EKS.404`), the cause is the response JSON. */
export function eksCallHandler(context: IntegrationContext): TaskHandler {
  return async (invocation) => {
    const output = await callService(context, 'eks', 'Call', parametersOf(invocation), (code) => (/^\d{3}$/.test(code) ? `EKS.${code}` : optimizedErrorName('eks', code)));
    return toStatesJson(output, 'epochMillis');
  };
}

/** `s3:listObjectsV2` as a Distributed Map ItemReader calls it. */
export function s3ListObjectsHandler(context: IntegrationContext): TaskHandler {
  return async (invocation) => {
    const output = await callService(context, 's3', 'ListObjectsV2', parametersOf(invocation), (code) => optimizedErrorName('s3', code));
    return toStatesJson(output, 'iso');
  };
}
