import { describe, expect, it } from 'vitest';
import { TaskFailedError } from '../../../local/asl/index.js';
import { run, single } from './run-helper.js';

function choiceMachine(rule: object): object {
  return {
    StartAt: 'Decide',
    States: {
      Decide: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Succeed' },
      No: { Type: 'Succeed' },
    },
  };
}

describe('Choice (JSONPath rules)', () => {
  it('NumericGreaterThanEquals with And picks the rule (docs example)', async () => {
    const rule = { And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }] };
    const result = await run(choiceMachine(rule), { value: 25 });
    expect(result.path).toEqual(['Decide', 'Yes']);
  });

  it('Not inverts a rule', async () => {
    const result = await run(choiceMachine({ Not: { Variable: '$.type', StringEquals: 'Private' } }), { type: 'Private' });
    expect(result.path).toEqual(['Decide', 'No']);
  });

  it('StringMatches supports * wildcards', async () => {
    const result = await run(choiceMachine({ Variable: '$.file', StringMatches: 'log-*.txt' }), { file: 'log-2024-01.txt' });
    expect(result.path).toEqual(['Decide', 'Yes']);
  });

  it('TimestampLessThanPath compares two timestamps from the input', async () => {
    const rule = { Variable: '$.a', TimestampLessThanPath: '$.b' };
    const result = await run(choiceMachine(rule), { a: '2016-03-14T01:59:00Z', b: '2016-03-14T02:00:00Z' });
    expect(result.path).toEqual(['Decide', 'Yes']);
  });

  it('IsPresent false matches a missing field', async () => {
    const result = await run(choiceMachine({ Variable: '$.missing', IsPresent: false }), {});
    expect(result.path).toEqual(['Decide', 'Yes']);
  });

  it('a comparison of a different type does not match', async () => {
    const result = await run(choiceMachine({ Variable: '$.n', NumericEquals: 1 }), { n: '1' });
    expect(result.path).toEqual(['Decide', 'No']);
  });

  it('no matching rule and no Default fails with States.NoChoiceMatched', async () => {
    const definition = { StartAt: 'Decide', States: { Decide: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'Done' }] }, Done: { Type: 'Succeed' } } };
    const result = await run(definition, { x: false });
    expect(result.error).toBe('States.NoChoiceMatched');
  });
});

describe('Wait', () => {
  it('Seconds waits on the clock', async () => {
    const result = await run(single({ Type: 'Wait', Seconds: 10 }));
    expect(result.clock.sleeps).toEqual([10_000]);
  });

  it('TimestampPath waits until the timestamp', async () => {
    const result = await run(single({ Type: 'Wait', TimestampPath: '$.at' }), { at: '2024-01-01T00:01:30Z' });
    expect(result.stopDate.toISOString()).toBe('2024-01-01T00:01:30.000Z');
  });

  it('SecondsPath reads the number from the input', async () => {
    const result = await run(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: 3 });
    expect(result.clock.sleeps).toEqual([3000]);
  });
});

describe('Fail and Succeed', () => {
  it('Fail ends the execution with its Error and Cause', async () => {
    const result = await run(single({ Type: 'Fail', Error: 'ErrorA', Cause: 'Kaiju attack' }));
    expect([result.status, result.error, result.cause]).toEqual(['FAILED', 'ErrorA', 'Kaiju attack']);
  });

  it('ErrorPath and CausePath take Error and Cause from the input', async () => {
    const state = { Type: 'Fail', ErrorPath: '$.code', CausePath: "States.Format('failed at {}', $.step)" };
    const result = await run(single(state), { code: 'GateFailed', step: 'MetricGate' });
    expect([result.error, result.cause]).toEqual(['GateFailed', 'failed at MetricGate']);
  });

  it('Succeed applies OutputPath', async () => {
    const result = await run(single({ Type: 'Succeed', OutputPath: '$.a' }), { a: { b: 1 } });
    expect(result.output).toEqual({ b: 1 });
  });
});

describe('Parallel', () => {
  it('returns the branch outputs in branch order', async () => {
    const state = {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'first', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 1, Next: 'B2' }, B2: { Type: 'Pass', Result: 'second', End: true } } },
      ],
    };
    const result = await run(single(state));
    expect(result.output).toEqual(['first', 'second']);
  });

  it('a failing branch fails the Parallel state with the branch error, which Catch can handle', async () => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'BranchBroke', Cause: 'x' } } }],
          Catch: [{ ErrorEquals: ['BranchBroke'], Next: 'Recover' }],
          End: true,
        },
        Recover: { Type: 'Pass', End: true },
      },
    };
    const result = await run(definition);
    expect([result.path, result.output]).toEqual([['Both', 'Bad', 'Recover'], { Error: 'BranchBroke', Cause: 'x' }]);
  });
});

describe('Map (inline)', () => {
  const processor = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };

  it('ItemSelector builds each item from $$.Map.Item and the input', async () => {
    const state = {
      Type: 'Map', ItemsPath: '$.detail.shipped',
      ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value', 'parcel.$': '$.detail.delivery-partner' },
      ItemProcessor: processor,
    };
    const input = { detail: { 'delivery-partner': 'UQS', shipped: [{ prod: 'R31' }, { prod: 'S39' }] } };
    const result = await run(single(state), input);
    expect(result.output).toEqual([
      { index: 0, value: { prod: 'R31' }, parcel: 'UQS' },
      { index: 1, value: { prod: 'S39' }, parcel: 'UQS' },
    ]);
  });

  it('legacy Iterator and Parameters still work', async () => {
    const state = { Type: 'Map', ItemsPath: '$.xs', Parameters: { 'x.$': '$$.Map.Item.Value' }, Iterator: processor };
    const result = await run(single(state), { xs: [1, 2] });
    expect(result.output).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('MaxConcurrency 1 runs the iterations one after another', async () => {
    const order: string[] = [];
    const state = {
      Type: 'Map', ItemsPath: '$', MaxConcurrency: 1,
      ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
    };
    await run(single(state), ['a', 'b', 'c'], {
      'arn:aws:states:::lambda:invoke': async ({ parameters }) => {
        order.push(`start ${String(parameters)}`);
        await Promise.resolve();
        order.push(`end ${String(parameters)}`);
        return parameters;
      },
    });
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('a failing iteration fails the Map with its error', async () => {
    const state = {
      Type: 'Map', ItemsPath: '$',
      ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
    };
    const result = await run(single(state), [1, 2], {
      'arn:aws:states:::lambda:invoke': async ({ parameters }) => {
        if (parameters === 2) throw new TaskFailedError('ItemBroke', 'item 2');
        return parameters;
      },
    });
    expect([result.error, result.cause]).toEqual(['ItemBroke', 'item 2']);
  });

  it('records MapStateStarted with the item count and one MapIteration pair per item', async () => {
    const result = await run(single({ Type: 'Map', ItemsPath: '$', ItemProcessor: processor }), [10, 20]);
    const types = result.history.map((event) => event.type).filter((type) => type.startsWith('Map'));
    expect([types, result.history.find((event) => event.type === 'MapStateStarted')?.mapStateStartedEventDetails]).toEqual([
      ['MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'MapIterationStarted', 'MapIterationSucceeded', 'MapIterationSucceeded', 'MapStateSucceeded', 'MapStateExited'],
      { length: 2 },
    ]);
  });
});
