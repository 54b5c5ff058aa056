/** `arn:aws:states:::aws-sdk:<service>:<action>`: any emulated API, request/response. */
import type { TaskHandler } from '../../asl/task-dispatch.js';
import { sdkErrorName } from '../error-names.js';
import { toStatesJson } from '../states-json.js';
import { callService, parametersOf, type IntegrationContext } from './context.js';

/** `listObjectsV2` → `ListObjectsV2`. */
export function pascalAction(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

export function awsSdkHandler(context: IntegrationContext, service: string, action: string): TaskHandler {
  const apiAction = pascalAction(action);
  return async (invocation) => {
    const output = await callService(context, service, apiAction, parametersOf(invocation), (code) => sdkErrorName(service, code));
    return toStatesJson(output, 'iso');
  };
}
