/** What every integration handler needs: the emulators, the clock for polling, and error naming. */
import type { Clock } from '../../asl/clock.js';
import { TaskFailedError, type TaskInvocation } from '../../asl/task-dispatch.js';
import { AwsServiceError } from '../../aws/emulator.js';
import type { LocalAws } from '../../aws/registry.js';
import type { PollOptions } from '../poll.js';

export interface IntegrationContext {
  localAws: LocalAws;
  pollIntervalMs: number;
  clock: Pick<Clock, 'sleep'>;
}

export function pollOptions(context: IntegrationContext, invocation: TaskInvocation): PollOptions {
  return { pollIntervalMs: context.pollIntervalMs, clock: context.clock, signal: invocation.signal };
}

/** Task parameters must be a JSON object; anything else is the workflow author's mistake. */
export function parametersOf(invocation: TaskInvocation): Record<string, unknown> {
  const parameters = invocation.parameters ?? {};
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new TaskFailedError('States.Runtime', `State ${invocation.stateName}: the parameters of ${invocation.resource} must be a JSON object, got ${JSON.stringify(parameters)}`);
  }
  return parameters as Record<string, unknown>;
}

/** Calls an emulator; service errors become TaskFailedError named by `errorName(code)`. */
export async function callService(
  context: IntegrationContext,
  service: string,
  action: string,
  input: Record<string, unknown>,
  errorName: (code: string) => string,
): Promise<Record<string, unknown>> {
  try {
    return await context.localAws.call(service, action, input);
  } catch (error) {
    if (error instanceof AwsServiceError) throw new TaskFailedError(errorName(error.name), error.message);
    throw error;
  }
}
