import { describe, expect, it } from 'vitest';
import { echo, run, single } from './run-helper.js';

// Examples from the AWS "Input and output processing in Step Functions" and "ResultPath" docs.
const docsInput = {
  comment: 'Example for InputPath.',
  dataset1: { val1: 1, val2: 2, val3: 3 },
  dataset2: { val1: 'a', val2: 'b', val3: 'c' },
};

describe('JSONPath data flow', () => {
  it('InputPath selects part of the input as the effective input', async () => {
    const result = await run(single({ Type: 'Pass', InputPath: '$.dataset2' }), docsInput);
    expect(result.output).toEqual({ val1: 'a', val2: 'b', val3: 'c' });
  });

  it('InputPath null gives an empty object', async () => {
    const result = await run(single({ Type: 'Pass', InputPath: null }), docsInput);
    expect(result.output).toEqual({});
  });

  it('Parameters take .$ keys from the effective input and keep static keys', async () => {
    const state = { Type: 'Pass', Parameters: { comment: 'Selecting what I care about.', 'MyDetails.$': '$.dataset1.val2', flag: true } };
    const result = await run(single(state), docsInput);
    expect(result.output).toEqual({ comment: 'Selecting what I care about.', MyDetails: 2, flag: true });
  });

  it('Parameters evaluate intrinsic functions', async () => {
    const state = { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.who)" } };
    const result = await run(single(state), { who: 'AWS Step Functions' });
    expect(result.output).toEqual({ greeting: 'Hello, AWS Step Functions!' });
  });

  it('Parameters read the context object through $$', async () => {
    const state = { Type: 'Pass', Parameters: { 'name.$': '$$.Execution.Name', 'state.$': '$$.State.Name', 'start.$': '$$.Execution.StartTime' } };
    const result = await run(single(state), {});
    expect(result.output).toEqual({ name: 'test-execution', state: 'Only', start: '2024-01-01T00:00:00.000Z' });
  });

  // Recorded on AWS: the error is States.Runtime (not States.ParameterPathFailure), cause prefixed with the state.
  it('a Parameters path that matches nothing fails the execution with States.Runtime', async () => {
    const result = await run(single({ Type: 'Pass', Parameters: { 'x.$': '$.missing' } }), { present: 1 });
    expect([result.status, result.error, result.cause]).toEqual([
      'FAILED',
      'States.Runtime',
      "An error occurred while executing the state 'Only' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"present\":1}'",
    ]);
  });

  it('ResultPath writes the result into the raw input', async () => {
    const input = { comment: 'This is a test of the input and output of a Pass state.', details: 'Default example', who: 'AWS Step Functions' };
    const result = await run(single({ Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$.taskresult' }), input);
    expect(result.output).toEqual({ ...input, taskresult: 'Hello, AWS Step Functions!' });
  });

  it('ResultPath "$" replaces the input by the result', async () => {
    const result = await run(single({ Type: 'Pass', Result: { a: 1 }, ResultPath: '$' }), { old: true });
    expect(result.output).toEqual({ a: 1 });
  });

  it('ResultPath null discards the result and passes the raw input through', async () => {
    const result = await run(single({ Type: 'Pass', Result: { a: 1 }, ResultPath: null }), { old: true });
    expect(result.output).toEqual({ old: true });
  });

  it('a falsy Pass Result (0) is still the result', async () => {
    const result = await run(single({ Type: 'Pass', Result: 0 }), { old: true });
    expect(result.output).toBe(0);
  });

  it('ResultPath into a non-object fails with States.ResultPathMatchFailure', async () => {
    const result = await run(single({ Type: 'Pass', Result: 1, ResultPath: '$.a.b' }), { a: 'text' });
    expect(result.error).toBe('States.ResultPathMatchFailure');
  });

  it('ResultSelector reshapes a Task result before ResultPath', async () => {
    const state = {
      Type: 'Task',
      Resource: 'arn:aws:states:::glue:startJobRun.sync',
      ResultSelector: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType' },
      ResultPath: '$.EMROutput',
    };
    const handlers = { 'arn:aws:states:::glue:startJobRun.sync': async () => ({ resourceType: 'elasticmapreduce', resource: 'createCluster.sync', output: { SdkHttpMetadata: {}, ClusterId: 'AKIAIOSFODNN7EXAMPLE' } }) };
    const result = await run(single(state), { keep: 1 }, handlers);
    expect(result.output).toEqual({ keep: 1, EMROutput: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce' } });
  });

  it('OutputPath selects part of the combined output', async () => {
    const result = await run(single({ Type: 'Pass', Result: { x: { y: 5 } }, ResultPath: '$.r', OutputPath: '$.r.x' }), {});
    expect(result.output).toEqual({ y: 5 });
  });

  it('an indefinite path yields the array of matches', async () => {
    const state = { Type: 'Pass', Parameters: { 'ids.$': '$.items[*].id' } };
    const result = await run(single(state), { items: [{ id: 'a' }, { id: 'b' }] });
    expect(result.output).toEqual({ ids: ['a', 'b'] });
  });

  it('the Task handler receives the Parameters as its effective input', async () => {
    const state = { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', InputPath: '$.msg', Parameters: { 'Message.$': '$.text', TopicArn: 't' } };
    const result = await run(single(state), { msg: { text: 'hi' } }, { 'arn:aws:states:::sns:publish': echo });
    expect(result.output).toEqual({ Message: 'hi', TopicArn: 't' });
  });

  it('$$.Execution.Input inside a Map iteration is the execution input', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', ItemsPath: '$.items', End: true,
          ItemProcessor: { StartAt: 'Read', States: { Read: { Type: 'Pass', Parameters: { 'tag.$': '$$.Execution.Input.tag' }, End: true } } },
        },
      },
    };
    const result = await run(definition, { tag: 'T', items: [1, 2] });
    expect(result.output).toEqual([{ tag: 'T' }, { tag: 'T' }]);
  });
});
