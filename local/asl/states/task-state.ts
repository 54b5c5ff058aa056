import { applyInputPath, applyPayloadTemplate } from '../data-flow/state-io.js';
import { StatesErrorName } from '../errors/error-names.js';
import { StatesError } from '../errors/states-error.js';
import { StatesHeartbeatTimeoutError, StatesTimeoutError } from '../errors/states-timeout.js';
import { jsonText, notTruncated } from '../history/history-recorder.js';
import { classifyResource, regionOf } from '../resource.js';
import type { StateFrame, StateOutput } from '../state-frame.js';
import type { StateOutcome } from '../state-runner.js';
import { invokeTaskHandler } from '../task-invocation.js';
import { dataLimitExceeded, exceedsPayloadLimit } from '../limits.js';
import { runWithRetryAndCatch } from './error-handling.js';

/** Task: dispatch the Resource to the registered handler, with history events as AWS writes them. */
export function executeTaskState(frame: StateFrame): Promise<StateOutcome> {
  return runWithRetryAndCatch(frame, () => attemptTask(frame));
}

async function attemptTask(frame: StateFrame): Promise<StateOutput> {
  const { state, name, thread } = frame;
  const { run } = thread;
  const resourceArn = state.Resource ?? '';
  const kind = classifyResource(resourceArn);
  frame.taskToken = kind?.kind === 'service' && kind.pattern === 'waitForTaskToken' ? run.newId() : undefined;

  let parameters: unknown;
  let effectiveInput: unknown = frame.rawInput;
  if (frame.isJsonata) {
    parameters = state.Arguments === undefined ? frame.rawInput : await frame.jsonata(state.Arguments, 'Arguments');
  } else {
    effectiveInput = applyInputPath(frame.pathScope(frame.rawInput), state.InputPath);
    parameters = applyPayloadTemplate(state.Parameters, frame.pathScope(effectiveInput), 'Parameters');
  }
  const timeoutSeconds = await frame.numberField('TimeoutSeconds', state.TimeoutSeconds, state.TimeoutSecondsPath, effectiveInput);
  const heartbeatSeconds = await frame.numberField('HeartbeatSeconds', state.HeartbeatSeconds, state.HeartbeatSecondsPath, effectiveInput);
  const credentials = state.Credentials === undefined
    ? undefined
    : frame.isJsonata
      ? await frame.jsonata(state.Credentials, 'Credentials')
      : applyPayloadTemplate(state.Credentials, frame.pathScope(effectiveInput), 'Credentials');

  const handler = run.tasks.handlerFor({ stateName: name, resource: resourceArn });
  if (!handler) {
    throw new StatesError(
      StatesErrorName.Runtime,
      `No task handler is registered for state '${name}' with Resource '${resourceArn}'. Register one in the TaskRegistry or mock the state in a mock config.`,
    );
  }

  const isLambdaFunction = kind?.kind === 'lambda-function';
  const resourceType = kind?.kind === 'service' ? kind.resourceType : kind?.kind === 'activity' ? 'activity' : 'lambda';
  const resource = kind?.kind === 'service' ? kind.resource : resourceArn;
  const taskIds = { resourceType, resource };
  const roleArn = (credentials as { RoleArn?: unknown } | undefined)?.RoleArn;
  const taskCredentials = typeof roleArn === 'string' ? { taskCredentials: { roleArn } } : {};

  if (isLambdaFunction) {
    run.history.append(thread.cursor, 'LambdaFunctionScheduled', {
      lambdaFunctionScheduledEventDetails: {
        resource: resourceArn,
        input: jsonText(parameters),
        inputDetails: notTruncated,
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
        ...taskCredentials,
      },
    });
    run.history.append(thread.cursor, 'LambdaFunctionStarted');
  } else {
    run.history.append(thread.cursor, 'TaskScheduled', {
      taskScheduledEventDetails: {
        ...taskIds,
        region: regionOf(resourceArn) ?? run.region,
        parameters: jsonText(parameters),
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
        ...taskCredentials,
      },
    });
    run.history.append(thread.cursor, 'TaskStarted', { taskStartedEventDetails: taskIds });
  }

  let result: unknown;
  try {
    result = await invokeTaskHandler(
      handler,
      {
        stateName: name,
        resource: resourceArn,
        parameters,
        context: frame.context(),
        attempt: frame.retryCount,
        ...(thread.mapIndexPath ? { mapIndexPath: thread.mapIndexPath } : {}),
        ...(frame.taskToken !== undefined ? { taskToken: frame.taskToken } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
        ...(credentials !== undefined ? { credentials } : {}),
      },
      {
        clock: run.clock,
        signal: thread.signal,
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
        onSubmitted: (response) => {
          run.history.append(thread.cursor, 'TaskSubmitted', {
            taskSubmittedEventDetails: { ...taskIds, output: jsonText(response), outputDetails: notTruncated },
          });
        },
      },
    );
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    const details = { error: error.error, ...(error.cause !== '' ? { cause: error.cause } : {}) };
    const timedOut = error instanceof StatesTimeoutError || error instanceof StatesHeartbeatTimeoutError;
    if (isLambdaFunction) {
      if (timedOut) run.history.append(thread.cursor, 'LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: details });
      else run.history.append(thread.cursor, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: details });
    } else if (timedOut) {
      run.history.append(thread.cursor, 'TaskTimedOut', { taskTimedOutEventDetails: { ...taskIds, ...details } });
    } else {
      run.history.append(thread.cursor, 'TaskFailed', { taskFailedEventDetails: { ...taskIds, ...details } });
    }
    throw error;
  }

  const resultText = jsonText(result);
  if (exceedsPayloadLimit(resultText)) {
    // A task result over 256 KiB fails the task (Retry and Catch apply), naming the function ARN
    // of a bare Lambda resource or the integration ('lambda') of a service resource.
    const error = dataLimitExceeded(isLambdaFunction ? resourceArn : resourceType);
    const details = { error: error.error, cause: error.cause };
    if (isLambdaFunction) run.history.append(thread.cursor, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: details });
    else run.history.append(thread.cursor, 'TaskFailed', { taskFailedEventDetails: { ...taskIds, ...details } });
    throw error;
  }
  if (isLambdaFunction) {
    run.history.append(thread.cursor, 'LambdaFunctionSucceeded', {
      lambdaFunctionSucceededEventDetails: { output: resultText, outputDetails: notTruncated },
    });
  } else {
    run.history.append(thread.cursor, 'TaskSucceeded', {
      taskSucceededEventDetails: { ...taskIds, output: resultText, outputDetails: notTruncated },
    });
  }
  return frame.finishWithResult(result);
}
