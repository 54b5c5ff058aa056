import { describe, expect, it } from 'vitest';
import { TaskFailedError } from '../../../local/asl/index.js';
import { run, single } from './run-helper.js';

const jsonata = { QueryLanguage: 'JSONata' };

describe('JSONata data flow and variables', () => {
  it('Output transforms $states.input', async () => {
    const result = await run(single({ Type: 'Pass', Output: { total: '{% $states.input.a + $states.input.b %}' } }, jsonata), { a: 2, b: 3 });
    expect(result.output).toEqual({ total: 5 });
  });

  it('a JSONata Pass without Output passes its input through', async () => {
    const result = await run(single({ Type: 'Pass' }, jsonata), { a: 1 });
    expect(result.output).toEqual({ a: 1 });
  });

  it('a per-state QueryLanguage overrides the JSONPath default', async () => {
    const result = await run(single({ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.n * 10 %}' }), { n: 4 });
    expect(result.output).toBe(40);
  });

  it('Arguments are the Task parameters and the Task result defaults to the output', async () => {
    const state = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f', Payload: '{% $states.input.order %}' } };
    const result = await run(single(state, jsonata), { order: { id: 7 } }, {
      'arn:aws:states:::lambda:invoke': async ({ parameters }) => ({ StatusCode: 200, Payload: parameters }),
    });
    expect(result.output).toEqual({ StatusCode: 200, Payload: { FunctionName: 'f', Payload: { id: 7 } } });
  });

  it('Output reads $states.result', async () => {
    const state = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: {}, Output: '{% $states.result.Payload.v %}' };
    const result = await run(single(state, jsonata), {}, { 'arn:aws:states:::lambda:invoke': async () => ({ Payload: { v: 'x' } }) });
    expect(result.output).toBe('x');
  });

  it('variables assigned by one state are visible from the next state', async () => {
    const definition = {
      ...jsonata,
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { count: 42 }, Next: 'Use' },
        Use: { Type: 'Pass', Output: '{% $count + 1 %}', End: true },
      },
    };
    const result = await run(definition);
    expect(result.output).toBe(43);
  });

  it('Assign evaluates every value with the variables as they were before the state (swap)', async () => {
    const definition = {
      ...jsonata,
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'Swap' },
        Swap: { Type: 'Pass', Assign: { x: '{% $y %}', y: '{% $x %}' }, Next: 'Show' },
        Show: { Type: 'Pass', Output: { x: '{% $x %}', y: '{% $y %}' }, End: true },
      },
    };
    const result = await run(definition);
    expect(result.output).toEqual({ x: 2, y: 1 });
  });

  it('Output in the same state still sees the old variable value', async () => {
    const definition = {
      ...jsonata,
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { v: 'old' }, Next: 'Change' },
        Change: { Type: 'Pass', Assign: { v: 'new' }, Output: '{% $v %}', End: true },
      },
    };
    const result = await run(definition);
    expect(result.output).toBe('old');
  });

  it('Map iterations read outer variables but their assignments do not leak out', async () => {
    const definition = {
      ...jsonata,
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { factor: 3 }, Next: 'Fan' },
        Fan: {
          Type: 'Map', Items: '{% [1, 2] %}', Next: 'After',
          ItemProcessor: {
            StartAt: 'Mul',
            States: {
              Mul: { Type: 'Pass', Assign: { inner: 'set' }, Output: '{% $states.input * $factor %}', End: true },
            },
          },
        },
        After: { Type: 'Pass', Output: { results: '{% $states.input %}', leaked: '{% $exists($inner) %}' }, End: true },
      },
    };
    const result = await run(definition);
    expect(result.output).toEqual({ results: [3, 6], leaked: false });
  });

  it('Choice Condition picks the first true rule', async () => {
    const definition = {
      ...jsonata,
      StartAt: 'Pick',
      States: {
        Pick: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.score < 50 %}', Next: 'Low' },
            { Condition: '{% $states.input.score >= 50 %}', Next: 'High' },
          ],
        },
        Low: { Type: 'Pass', Output: { band: 'low' }, End: true },
        High: { Type: 'Pass', Output: { band: 'high' }, End: true },
      },
    };
    const result = await run(definition, { score: 70 });
    expect([result.output, result.path]).toEqual([{ band: 'high' }, ['Pick', 'High']]);
  });

  it('a Catch hands $states.errorOutput to Output and Assign', async () => {
    const definition = {
      ...jsonata,
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: {},
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle', Output: '{% $states.errorOutput.Error %}', Assign: { why: '{% $states.errorOutput.Cause %}' } }],
          End: true,
        },
        Handle: { Type: 'Pass', Output: { error: '{% $states.input %}', why: '{% $why %}' }, End: true },
      },
    };
    const result = await run(definition, {}, {
      'arn:aws:states:::lambda:invoke': async () => {
        throw new TaskFailedError('CustomError', 'it broke');
      },
    });
    expect(result.output).toEqual({ error: 'CustomError', why: 'it broke' });
  });

  it('Wait Seconds may be a JSONata expression', async () => {
    const result = await run(single({ Type: 'Wait', Seconds: '{% $states.input.delay * 2 %}' }, jsonata), { delay: 30 });
    expect(result.clock.sleeps).toEqual([60_000]);
  });

  it('Map ItemSelector sees $states.context.Map.Item', async () => {
    const state = {
      Type: 'Map', Items: '{% $states.input.xs %}',
      ItemSelector: { index: '{% $states.context.Map.Item.Index %}', value: '{% $states.context.Map.Item.Value %}' },
      ItemProcessor: { StartAt: 'Id', States: { Id: { Type: 'Pass', End: true } } },
    };
    const result = await run(single(state, jsonata), { xs: ['a', 'b'] });
    expect(result.output).toEqual([{ index: 0, value: 'a' }, { index: 1, value: 'b' }]);
  });

  it('an expression that yields nothing fails with States.QueryEvaluationError', async () => {
    const result = await run(single({ Type: 'Pass', Output: '{% $states.input.missing %}' }, jsonata), {});
    expect([result.status, result.error]).toEqual(['FAILED', 'States.QueryEvaluationError']);
  });

  it('the history records assignedVariables as JSON text on the Exited event', async () => {
    const result = await run(single({ Type: 'Pass', Assign: { a: { b: 1 } } }, jsonata));
    const exited = result.history.find((event) => event.type === 'PassStateExited');
    expect(exited?.stateExitedEventDetails?.assignedVariables).toEqual({ a: '{"b":1}' });
  });

  it('JSONPath Assign reads the state result with $ and variables with $name', async () => {
    const definition = {
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Result: { id: 9 }, Assign: { 'savedId.$': '$.id', literal: 'x' }, Next: 'Use' },
        Use: { Type: 'Pass', Parameters: { 'id.$': '$savedId', 'lit.$': '$literal' }, End: true },
      },
    };
    const result = await run(definition);
    expect(result.output).toEqual({ id: 9, lit: 'x' });
  });
});
