/**
 * Behaviours of AWS Step Functions the engine reproduces, each seen in executions recorded on AWS
 * (shared/conformance) or documented in the Step Functions developer guide / ASL spec. One
 * behaviour per test, with concrete values; these are not the corpus cases themselves.
 */
import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../../local/asl/errors/definition-error.js';
import { echo, run, single } from './run-helper.js';

const TASK = 'arn:aws:lambda:us-east-1:123456789012:function:echo';
const prefix = (state: string, id = 2) => `An error occurred while executing the state '${state}' (entered at the event id #${id}). `;

describe('JSONPath InputPath/OutputPath read the context object and variables', () => {
  it('InputPath $$.Execution.Input selects the execution input', async () => {
    const result = await run(single({ Type: 'Pass', InputPath: '$$.Execution.Input.order' }), { order: { id: 7 } });
    expect(result.output).toEqual({ id: 7 });
  });

  it('OutputPath $$.State.Name selects from the context object', async () => {
    const result = await run(single({ Type: 'Pass', OutputPath: '$$.State.Name' }), {});
    expect(result.output).toBe('Only');
  });

  it('OutputPath $answer selects a workflow variable', async () => {
    const definition = {
      StartAt: 'Set',
      States: { Set: { Type: 'Pass', Assign: { answer: 42 }, Next: 'Read' }, Read: { Type: 'Pass', OutputPath: '$answer', End: true } },
    };
    expect((await run(definition, {})).output).toBe(42);
  });

  it('a missing InputPath property fails with Jayway\'s "No results for path" message', async () => {
    const result = await run(single({ Type: 'Pass', InputPath: '$.nope' }), { a: 1 });
    expect([result.error, result.cause]).toEqual(['States.Runtime', `${prefix('Only')}Invalid path '$.nope' : No results for path: $['nope']`]);
  });

  it('a missing property on the way of an OutputPath fails with "Missing property in path"', async () => {
    const result = await run(single({ Type: 'Pass', OutputPath: '$.no.such.path' }), { a: 1 });
    expect(result.cause).toBe(`${prefix('Only')}Invalid path '$.no.such.path' : Missing property in path $['no']`);
  });
});

describe('Choice', () => {
  it('a comparison on a missing path fails with AWS\'s condition-path cause', async () => {
    const choice = { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'End' }], Default: 'End' };
    const result = await run({ StartAt: 'Check', States: { Check: choice, End: { Type: 'Succeed' } } }, {});
    expect([result.error, result.cause]).toEqual([
      'States.Runtime',
      `${prefix('Check')}Invalid path '$.done': The choice state's condition path references an invalid value.`,
    ]);
  });
});

describe('$$.State', () => {
  it('has no RetryCount in a Pass state', async () => {
    const result = await run(single({ Type: 'Pass', Parameters: { 'state.$': '$$.State' } }), {});
    expect(Object.keys((result.output as { state: object }).state).sort()).toEqual(['EnteredTime', 'Name']);
  });

  it('has RetryCount 0 in a Task state', async () => {
    const state = { Type: 'Task', Resource: TASK, Parameters: { 'retries.$': '$$.State.RetryCount' } };
    expect((await run(single(state), {}, { [TASK]: echo })).output).toEqual({ retries: 0 });
  });
});

describe('definitions AWS accepts', () => {
  const jsonata = (state: object) => single({ QueryLanguage: 'JSONata', ...state });

  it.each([
    ['true', true],
    ['0.1', 0.1],
    ['null', null],
    ['[]', []],
    ['a plain string', 'Default Output block'],
  ])('a JSONata Output of %s is the output as written', async (_label, value) => {
    expect((await run(jsonata({ Type: 'Pass', Output: value }), { x: 1 })).output).toEqual(value);
  });

  it('" {% expr %} " with spaces around is a literal string', async () => {
    const result = await run(jsonata({ Type: 'Pass', Output: { text: ' {% $states.input.x %} ' } }), { x: 1 });
    expect(result.output).toEqual({ text: ' {% $states.input.x %} ' });
  });

  it('Assign may hold null, also inside lists', async () => {
    const definition = {
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { nothing: null, list: [null, 1] }, Next: 'Read' },
        Read: { Type: 'Pass', Parameters: { 'n.$': '$nothing', 'l.$': '$list' }, End: true },
      },
    };
    expect((await run(definition, {})).output).toEqual({ n: null, l: [null, 1] });
  });

  it('a Choice Condition may be the literal true', async () => {
    const choice = {
      QueryLanguage: 'JSONata',
      StartAt: 'Pick',
      States: { Pick: { Type: 'Choice', Choices: [{ Condition: true, Next: 'Yes' }], Default: 'No' }, Yes: { Type: 'Pass', Output: 'yes', End: true }, No: { Type: 'Pass', Output: 'no', End: true } },
    };
    expect((await run(choice, {})).output).toBe('yes');
  });

  it('an inline Map may carry ToleratedFailureCount and a fractional ToleratedFailurePercentage', async () => {
    const map = { Type: 'Map', ToleratedFailureCount: 1, ToleratedFailurePercentage: 12.5, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } };
    expect((await run(single(map), [1, 2])).output).toEqual([1, 2]);
  });
});

describe('Wait inputs AWS refuses (Seconds are a long, timestamps ISO-8601 with a zone)', () => {
  const waitPath = (path: object) => single({ Type: 'Wait', ...path });

  it('a fractional SecondsPath value fails', async () => {
    const result = await run(waitPath({ SecondsPath: '$.s' }), { s: 1.5 });
    expect([result.error, result.cause]).toEqual(['States.Runtime', `${prefix('Only')}The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5`]);
  });

  it('a negative SecondsPath value fails', async () => {
    const result = await run(waitPath({ SecondsPath: '$.s' }), { s: -1 });
    expect(result.cause).toBe(`${prefix('Only')}The SecondsPath parameter references a negative value: $.s == -1`);
  });

  it.each(['2016-12-05 21:29:29Z', '2016-12-05T21:29:29', '2016-13-05T21:29:29Z', '2016-12-05T25:29:29Z'])(
    'TimestampPath %s fails',
    async (timestamp) => {
      const result = await run(waitPath({ TimestampPath: '$.t' }), { t: timestamp });
      expect(result.cause).toBe(`${prefix('Only')}The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == ${timestamp}`);
    },
  );

  it('a JSONata Timestamp without a zone fails with States.QueryEvaluationError', async () => {
    const result = await run(single({ QueryLanguage: 'JSONata', Type: 'Wait', Timestamp: '{% $states.input.t %}' }), { t: '2016-12-05T21:29:29' });
    expect([result.error, result.cause]).toEqual([
      'States.QueryEvaluationError',
      `${prefix('Only')}The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T21:29:29`,
    ]);
  });

  it('a timestamp with an offset waits until that instant', async () => {
    const result = await run(waitPath({ TimestampPath: '$.t' }), { t: '2024-01-01T02:00:00+01:00' });
    expect([result.status, result.clock.sleeps]).toEqual(['SUCCEEDED', [3_600_000]]);
  });
});

describe('Map thresholds and concurrency from paths', () => {
  const processor = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

  it('numeric strings are accepted in MaxConcurrencyPath and ToleratedFailureCountPath', async () => {
    const map = { Type: 'Map', ItemsPath: '$.items', MaxConcurrencyPath: '$.c', ToleratedFailureCountPath: '$.t', ItemProcessor: processor };
    expect((await run(single(map), { items: [1], c: '1', t: '2' })).output).toEqual([1]);
  });

  it('a negative ToleratedFailureCountPath fails', async () => {
    const map = { Type: 'Map', ToleratedFailureCountPath: '$.t', ItemsPath: '$.items', ItemProcessor: processor };
    const result = await run(single(map), { items: [1], t: -1 });
    expect([result.error, result.cause]).toEqual(['States.Runtime', `${prefix('Only')}ToleratedFailureCount cannot be negative.`]);
  });

  it('a non-number MaxConcurrencyPath value fails naming the value', async () => {
    const map = { Type: 'Map', MaxConcurrencyPath: '$.c', ItemsPath: '$.items', ItemProcessor: processor };
    const result = await run(single(map), { items: [1], c: 'many' });
    expect(result.cause).toBe(`${prefix('Only')}The MaxConcurrencyPath field refers to value "many" which is not a valid integer: $.c`);
  });

  it('JSONata Items that is not an array fails with States.QueryEvaluationError', async () => {
    const map = { QueryLanguage: 'JSONata', Type: 'Map', Items: '{% $states.input.n %}', ItemProcessor: processor };
    const result = await run(single(map), { n: 1 });
    expect([result.error, result.cause]).toEqual([
      'States.QueryEvaluationError',
      `${prefix('Only')}The JSONata expression '$states.input.n' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1`,
    ]);
  });
});

describe('intrinsic functions as AWS evaluates them', () => {
  const pass = (expression: string) => single({ Type: 'Pass', Parameters: { 'r.$': expression } });

  it('States.StringToJson("") is null', async () => {
    expect((await run(pass("States.StringToJson($.s)"), { s: '' })).output).toEqual({ r: null });
  });

  it('States.Format renders objects and arrays Java-style', async () => {
    const result = await run(pass("States.Format('v={}', $.v)"), { v: { Arg1: 1, Arg2: [], Arg3: ['a', { b: null }] } });
    expect(result.output).toEqual({ r: 'v={Arg1=1, Arg2=[], Arg3=[a, {b=null}]}' });
  });

  it('a missing intrinsic argument fails the execution with States.Runtime', async () => {
    const result = await run(pass("States.Format('{}', $.nope)"), { other: 1 });
    expect([result.error, result.cause]).toEqual([
      'States.Runtime',
      `${prefix('Only')}The function 'States.Format('{}', $.nope)' had the following error: The JsonPath argument for the field '$.nope' could not be found in the input '{"other":1}'`,
    ]);
  });

  it('a bracket path with an escaped quote reads the key', async () => {
    const result = await run(single({ Type: 'Pass', Parameters: { 'r.$': "$['it\\'s']" } }), { "it's": 3 });
    expect(result.output).toEqual({ r: 3 });
  });
});

describe('JSONata', () => {
  it('$range with a single item is that item, not a list', async () => {
    const result = await run(single({ QueryLanguage: 'JSONata', Type: 'Pass', Output: '{% $range(1, 9, 9) %}' }), {});
    expect(result.output).toBe(1);
  });

  it('an undefined result names the field with slashes, as AWS does', async () => {
    const result = await run(single({ QueryLanguage: 'JSONata', Type: 'Pass', Assign: { result: '{% $nothing %}' } }), {});
    expect([result.error, result.cause]).toEqual([
      'States.QueryEvaluationError',
      `${prefix('Only')}The JSONata expression '$nothing' specified for the field 'Assign/result' returned nothing (undefined).`,
    ]);
  });

  it('an evaluation error quotes the JSONata error code', async () => {
    const result = await run(single({ QueryLanguage: 'JSONata', Type: 'Pass', Output: { x: '{% $notAFunction(1) %}' } }), {});
    expect(result.cause).toBe(`${prefix('Only')}The JSONata expression '$notAFunction(1)' specified for the field 'Output/x' threw an error during evaluation. T1006: Attempted to invoke a non-function`);
  });
});

describe('timeouts', () => {
  // AWS records TaskTimedOut and ExecutionFailed with error States.Timeout and no cause.
  it('a Task over its TimeoutSeconds fails with States.Timeout and no cause', async () => {
    const never: Parameters<typeof run>[2] = { [TASK]: () => new Promise(() => undefined) };
    const result = await run(single({ Type: 'Task', Resource: TASK, TimeoutSeconds: 5 }), {}, never);
    const timedOut = result.history.find((event) => event.type === 'LambdaFunctionTimedOut');
    expect([result.error, result.cause, timedOut?.lambdaFunctionTimedOutEventDetails]).toEqual(['States.Timeout', undefined, { error: 'States.Timeout' }]);
  });
});

describe('Step Functions quotas (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)', () => {
  const big = 'a'.repeat(256 * 1024);

  it('a Pass result over 256 KiB fails with States.DataLimitExceeded naming the state', async () => {
    const result = await run(single({ Type: 'Pass', Result: { big } }), {});
    expect([result.error, result.cause]).toEqual([
      'States.DataLimitExceeded',
      "The state/task 'Only' returned a result with a size exceeding the maximum number of bytes service limit.",
    ]);
  });

  it('a Lambda result over 256 KiB can be caught, naming the function ARN', async () => {
    const definition = {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: TASK, Catch: [{ ErrorEquals: ['States.DataLimitExceeded'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const result = await run(definition, {}, { [TASK]: async () => ({ big }) });
    expect(result.output).toEqual({
      Error: 'States.DataLimitExceeded',
      Cause: `The state/task '${TASK}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    });
  });

  it('an execution input over 256 KiB is refused before the execution starts', async () => {
    await expect(run(single({ Type: 'Pass' }), { big })).rejects.toThrow(/Member must have length less than or equal to 262144/);
  });

  it('an execution whose history would pass 25,000 events fails with event 25,000', async () => {
    const loop = {
      StartAt: 'Again',
      States: {
        Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Again' },
        Done: { Type: 'Succeed' },
      },
    };
    const result = await run(loop, {});
    expect([result.status, result.error, result.cause, result.history.length, result.history.at(-1)?.type]).toEqual([
      'FAILED',
      'States.Runtime',
      'The execution reached the maximum number of history events (25000).',
      25_000,
      'ExecutionFailed',
    ]);
  });
});

describe('variable scopes (developer guide: "Passing data between states with variables")', () => {
  it('rejects a Map inner state assigning a variable declared outside', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { total: 0 }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: [1],
          ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', Assign: { total: 1 }, End: true } } },
          End: true,
        },
      },
    };
    const error = await run(definition, {}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).message).toBe(
      "States.Each.ItemProcessor.States.Inner.Assign.total: the variable 'total' is already declared in an outer scope (by States.Set); a state inside a Parallel branch or Map cannot declare a variable of the same name as an outer one: rename it",
    );
  });

  it('accepts the same name in two sibling branches', async () => {
    const branch = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', Assign: { local: 1 }, End: true } } });
    const result = await run(single({ Type: 'Parallel', Branches: [branch('B1'), branch('B2')] }), {});
    expect(result.output).toEqual([{}, {}]);
  });
});
