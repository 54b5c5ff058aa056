import { describe, expect, it } from 'vitest';
import { TaskFailedError } from '../../../local/asl/index.js';
import { run, single } from './run-helper.js';

describe('execution history', () => {
  it('a Task through an optimized integration writes TaskScheduled/Started/Succeeded with AWS details', async () => {
    const state = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, TimeoutSeconds: 30 };
    const result = await run(single(state), {}, { 'arn:aws:states:::lambda:invoke': async () => ({ StatusCode: 200 }) });
    expect(result.history.map(({ type, id, previousEventId }) => [type, id, previousEventId])).toEqual([
      ['ExecutionStarted', 1, 0],
      ['TaskStateEntered', 2, 1],
      ['TaskScheduled', 3, 2],
      ['TaskStarted', 4, 3],
      ['TaskSucceeded', 5, 4],
      ['TaskStateExited', 6, 5],
      ['ExecutionSucceeded', 7, 6],
    ]);
    expect(result.history[2]?.taskScheduledEventDetails).toEqual({
      resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{"FunctionName":"f"}', timeoutInSeconds: 30,
    });
  });

  it('an SDK integration has resourceType aws-sdk:<service> and the API as resource', async () => {
    const resource = 'arn:aws:states:::aws-sdk:s3:listObjectsV2';
    const result = await run(single({ Type: 'Task', Resource: resource, Parameters: { Bucket: 'b' } }), {}, { [resource]: async () => ({ Contents: [] }) });
    expect(result.history.find((event) => event.type === 'TaskStarted')?.taskStartedEventDetails).toEqual({ resourceType: 'aws-sdk:s3', resource: 'listObjectsV2' });
  });

  it('a bare Lambda function ARN writes LambdaFunction* events', async () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:validate-input';
    const result = await run(single({ Type: 'Task', Resource: arn }), { a: 1 }, { [arn]: async () => { throw new TaskFailedError('BadInput', 'no key'); } });
    expect(result.history.slice(2, 5).map((event) => [event.type, event.lambdaFunctionScheduledEventDetails ?? event.lambdaFunctionFailedEventDetails ?? null])).toEqual([
      ['LambdaFunctionScheduled', { resource: arn, input: '{"a":1}', inputDetails: { truncated: false } }],
      ['LambdaFunctionStarted', null],
      ['LambdaFunctionFailed', { error: 'BadInput', cause: 'no key' }],
    ]);
  });

  it('a .sync handler that reports its start response produces TaskSubmitted', async () => {
    const resource = 'arn:aws:states:::glue:startJobRun.sync';
    const result = await run(single({ Type: 'Task', Resource: resource, Parameters: { JobName: 'j' } }), {}, {
      [resource]: async ({ submitted }) => {
        submitted({ JobRunId: 'jr_1' });
        return { JobRunState: 'SUCCEEDED' };
      },
    });
    expect(result.history.filter((event) => event.type.startsWith('Task') && !event.type.includes('State')).map((event) => event.type)).toEqual([
      'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded',
    ]);
  });

  it('.waitForTaskToken hands the handler a token that $$.Task.Token also shows', async () => {
    const resource = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    const state = { Type: 'Task', Resource: resource, Parameters: { 'token.$': '$$.Task.Token' } };
    const result = await run(single(state), {}, {
      [resource]: async ({ parameters, taskToken }) => ({ same: (parameters as { token: string }).token === taskToken && typeof taskToken === 'string' }),
    });
    expect(result.output).toEqual({ same: true });
  });

  it('Parallel branch events chain from ParallelStateStarted', async () => {
    const state = { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }] };
    const result = await run(single(state));
    const started = result.history.find((event) => event.type === 'ParallelStateStarted');
    const branchEntered = result.history.find((event) => event.stateEnteredEventDetails?.name === 'A');
    const succeeded = result.history.find((event) => event.type === 'ParallelStateSucceeded');
    expect([branchEntered?.previousEventId, succeeded?.previousEventId]).toEqual([started?.id, started?.id]);
  });

  it('a Fail state writes FailStateEntered then ExecutionFailed', async () => {
    const result = await run(single({ Type: 'Fail', Error: 'E', Cause: 'C' }));
    expect(result.history.slice(1).map((event) => [event.type, event.executionFailedEventDetails ?? null])).toEqual([
      ['FailStateEntered', null],
      ['ExecutionFailed', { error: 'E', cause: 'C' }],
    ]);
  });

  it('onEvent sees every event as it is appended', async () => {
    const seen: string[] = [];
    const result = await run(single({ Type: 'Pass' }), {}, {}, { onEvent: (event) => seen.push(event.type) });
    expect(seen).toEqual(result.history.map((event) => event.type));
  });
});
