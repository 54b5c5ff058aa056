import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../../../local/asl/errors/definition-error.js';
import { UNSUPPORTED, validateDefinition } from '../../../../local/asl/validate/index.js';
import { jsonataMachine, jsonPathMachine } from './definitions.js';

function rejection(definition: unknown): DefinitionError {
  try {
    validateDefinition(definition);
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error('expected the definition to be rejected');
}

describe('valid definitions', () => {
  it('accepts a JSONPath machine with Task, Choice, Map, Succeed and Fail', () => {
    expect(() => validateDefinition(jsonPathMachine())).not.toThrow();
  });

  it('accepts a JSONata machine', () => {
    expect(() => validateDefinition(jsonataMachine())).not.toThrow();
  });

  it('does not modify the definition it checks', () => {
    const definition = jsonPathMachine();
    const before = structuredClone(definition);

    validateDefinition(definition);

    expect(definition).toEqual(before);
  });
});

describe('shape', () => {
  it('Noncompliance: the definition is not an object', () => {
    expect(rejection('nope').message).toBe('Definition: must be a JSON object with StartAt and States, got "nope"');
  });

  it('Noncompliance: a state has an unknown Type', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare.Type = 'Lambda';

    const error = rejection(definition);

    expect([error.message, error.statePath, error.field]).toEqual([
      'States.Prepare.Type: must be one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map, got "Lambda"',
      'States.Prepare',
      'Type',
    ]);
  });

  it('Noncompliance: a Map state without ItemProcessor', () => {
    const definition = jsonPathMachine();
    delete definition.States.Fan.ItemProcessor;

    expect(rejection(definition).message).toBe('States.Fan.ItemProcessor: a Map state needs an ItemProcessor (or the older Iterator)');
  });
});

describe('transition targets', () => {
  it('Noncompliance: StartAt names no state', () => {
    const definition = jsonPathMachine();
    definition.StartAt = 'Begin';

    expect(rejection(definition).message).toBe(
      'Definition.StartAt: "Begin" is not a state of States (states: "Prepare", "TrainModel", "MetricGate", "Fan", "Done", "PipelineFailed")',
    );
  });

  it('Noncompliance: Next names no state', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare.Next = 'Train';

    expect(rejection(definition).message).toMatch(/^States\.Prepare\.Next: "Train" is not a state of States; /);
  });

  it('Noncompliance: Choice Default names no state', () => {
    const definition = jsonPathMachine();
    definition.States.MetricGate.Default = 'Nowhere';

    expect(rejection(definition).message).toMatch(/^States\.MetricGate\.Default: "Nowhere" is not a state of States; /);
  });

  it('Noncompliance: a Catch inside a Map iteration targets an outer state', () => {
    const definition = jsonPathMachine();
    definition.States.Fan.ItemProcessor.States.Step.Next = 'Done';
    delete definition.States.Fan.ItemProcessor.States.Step.End;

    expect(rejection(definition).message).toBe(
      'States.Fan.ItemProcessor.States.Step.Next: "Done" is not a state of States.Fan.ItemProcessor.States; a transition can only reach states in the same States object (states: "Step")',
    );
  });
});

describe('reachability', () => {
  it('Noncompliance: a state nothing transitions to', () => {
    const definition = jsonPathMachine();
    definition.States.Orphan = { Type: 'Succeed' };

    expect(rejection(definition).message).toBe('States.Orphan: the state is not reachable from StartAt "Prepare"; remove it or add a transition to it');
  });
});

describe('a way to end', () => {
  it('Noncompliance: a loop with no terminal state', () => {
    const definition = { StartAt: 'Ping', States: { Ping: { Type: 'Pass', Next: 'Pong' }, Pong: { Type: 'Pass', Next: 'Ping' } } };

    expect(rejection(definition).message).toBe(
      'Definition.States: no state ends the execution: add a Succeed or Fail state, or "End": true on the last state',
    );
  });
});

describe('duplicate state names', () => {
  it('Noncompliance: a nested state reuses an outer name', () => {
    const definition = jsonPathMachine();
    definition.States.Fan.ItemProcessor = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };

    expect(rejection(definition).message).toBe(
      'States.Fan.ItemProcessor.States.Done: the state name "Done" is already used by States.Done; state names must be unique in the whole state machine',
    );
  });
});

describe('terminal states', () => {
  it('Noncompliance: a Task with neither Next nor End', () => {
    const definition = jsonPathMachine();
    delete definition.States.Prepare.Next;
    definition.States.Prepare.End = false;

    expect(rejection(definition).message).toBe('States.Prepare.End: must be true when present, got false');
  });

  it('Noncompliance: a Pass state that goes nowhere', () => {
    const definition = jsonPathMachine();
    definition.States.Fan.ItemProcessor.States.Step = { Type: 'Pass' };

    expect(rejection(definition).message).toBe(
      'States.Fan.ItemProcessor.States.Step.Next: a Pass state must have Next or "End": true; without them the execution has nowhere to go',
    );
  });

  it('Noncompliance: both Next and End', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare.End = true;

    expect(rejection(definition).message).toBe('States.Prepare.End: a state cannot have both Next and End: true');
  });

  it('Noncompliance: a Succeed state with Next', () => {
    const definition = jsonPathMachine();
    definition.States.Done.Next = 'Prepare';

    expect(rejection(definition).message).toBe('States.Done.Next: a Succeed state cannot have Next');
  });
});

describe('query-language fields', () => {
  it('Noncompliance: Arguments in a JSONPath state', () => {
    const definition = jsonPathMachine();
    definition.States.TrainModel.Arguments = {};

    expect(rejection(definition).message).toBe(
      'States.TrainModel.Arguments: Arguments is a JSONata field and this state uses JSONPath; set "QueryLanguage": "JSONata" on the state to use it',
    );
  });

  it('Noncompliance: Condition in a JSONPath Choice rule', () => {
    const definition = jsonPathMachine();
    definition.States.MetricGate.Choices[0].Condition = '{% true %}';

    expect(rejection(definition).message).toBe(
      'States.MetricGate.Choices[0].Condition: Condition is a JSONata field and this state uses JSONPath; use Variable with a comparison operator, or set "QueryLanguage": "JSONata"',
    );
  });

  it('Noncompliance: Parameters in a JSONata state', () => {
    const definition = jsonataMachine();
    definition.States.Prepare.Parameters = { a: 1 };

    expect(rejection(definition).message).toBe(
      'States.Prepare.Parameters: Parameters is a JSONPath field and this state uses JSONata; use Arguments instead',
    );
  });

  it('Noncompliance: ResultPath in a JSONata state that opted in per state', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare = { Type: 'Pass', QueryLanguage: 'JSONata', ResultPath: '$.x', Next: 'TrainModel' };

    expect(rejection(definition).message).toBe(
      'States.Prepare.ResultPath: ResultPath is a JSONPath field and this state uses JSONata; use Output (and Assign) instead',
    );
  });

  it('Noncompliance: Variable and comparison operators in a JSONata Choice rule', () => {
    const definition = jsonataMachine();
    definition.States.Decide.Choices[0] = { Variable: '$.ok', BooleanEquals: true, Next: 'Done' };

    expect(rejection(definition).message).toBe(
      'States.Decide.Choices[0].Variable: Variable is a JSONPath choice rule field and this state uses JSONata; write the test as Condition: "{% ... %}"',
    );
  });

  it('Noncompliance: a JSONPath state under a JSONata top level', () => {
    const definition = jsonataMachine();
    definition.States.Prepare.QueryLanguage = 'JSONPath';

    expect(rejection(definition).message).toBe(
      "States.Prepare.QueryLanguage: a state cannot use JSONPath when the state machine's top-level QueryLanguage is JSONata",
    );
  });

  it('Noncompliance: ItemReader.Parameters in a JSONata Map', () => {
    const definition = jsonataMachine();
    definition.States.Fan = {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'raw' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Step', States: { Step: { Type: 'Succeed' } } },
      Next: 'Decide',
    };
    definition.States.Prepare.Next = 'Fan';

    expect(rejection(definition).message).toBe(
      'States.Fan.ItemReader.Parameters: ItemReader.Parameters is a JSONPath field and this state uses JSONata; use ItemReader.Arguments instead',
    );
  });

  it('Noncompliance: ResultPath in the Catch of a JSONata state', () => {
    const definition = jsonataMachine();
    definition.States.Work = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'f' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
      Next: 'Decide',
    };
    definition.States.Prepare.Next = 'Work';

    expect(rejection(definition).message).toBe(
      'States.Work.Catch[0].ResultPath: ResultPath is a JSONPath field and this state uses JSONata; use Output (and Assign) instead',
    );
  });
});

describe('JSONata expressions', () => {
  it('Noncompliance: an expression that does not compile', () => {
    const definition = jsonataMachine();
    definition.States.Prepare.Output = { name: '{% $states.input.id & %}' };

    expect(rejection(definition).message).toMatch(/^States\.Prepare\.Output\.name: invalid JSONata at position \d+: .+ in "\{% \$states\.input\.id & %\}"$/);
  });

  it('Noncompliance: an expression missing its closing %}', () => {
    const definition = jsonataMachine();
    definition.States.Decide.Choices[0].Condition = '{% $states.input.ok';

    expect(rejection(definition).message).toBe(
      'States.Decide.Choices[0].Condition: a JSONata expression must be the whole string, written "{% expression %}", got "{% $states.input.ok"',
    );
  });
});

describe('JSONata expression markers', () => {
  // AWS accepts it and treats the string as a literal (recorded: BASE_LAMBDA_LITERALS keeps " {% states.input %} ").
  it('Compliance: whitespace outside {% %} makes a plain string, which AWS accepts', () => {
    const definition = jsonataMachine();
    definition.States.Prepare.Output = { name: ' {% $states.input.id %}' };

    expect(() => validateDefinition(definition)).not.toThrow();
  });
});

describe('intrinsic functions', () => {
  it('Noncompliance: an unknown intrinsic function in Parameters', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare.Parameters = { 'name.$': 'States.Concat($.a, $.b)' };

    expect(rejection(definition).message).toMatch(/^States\.Prepare\.Parameters\["name\.\$"\]: unknown intrinsic function 'States\.Concat'; known functions: /);
  });

  it('Noncompliance: an intrinsic call with a syntax error', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare.Parameters = { 'name.$': "States.Format('{}', $.a" };

    expect(rejection(definition).message).toBe(
      `States.Prepare.Parameters["name.$"]: Invalid intrinsic function call 'States.Format('{}', $.a': expected ',' or ')' in the arguments of States.Format, found the end of the expression at position 23`,
    );
  });
});

describe('Retry and Catch', () => {
  it('Noncompliance: States.ALL together with other errors', () => {
    const definition = jsonPathMachine();
    definition.States.TrainModel.Retry[0].ErrorEquals = ['States.ALL', 'States.Timeout'];

    const error = rejection(definition);

    expect([error.message, error.statePath, error.field]).toEqual([
      'States.TrainModel.Retry[0].ErrorEquals: States.ALL must appear alone in ErrorEquals, got ["States.ALL","States.Timeout"]',
      'States.TrainModel',
      'Retry[0].ErrorEquals',
    ]);
  });

  it('Noncompliance: States.ALL in a catcher that is not last', () => {
    const definition = jsonPathMachine();
    definition.States.TrainModel.Catch.push({ ErrorEquals: ['States.Timeout'], Next: 'PipelineFailed' });

    expect(rejection(definition).message).toBe(
      'States.TrainModel.Catch[0].ErrorEquals: States.ALL must be in the last catcher; entries after it could never match',
    );
  });

  it('Noncompliance: an empty ErrorEquals', () => {
    const definition = jsonPathMachine();
    definition.States.TrainModel.Retry[0].ErrorEquals = [];

    expect(rejection(definition).message).toBe('States.TrainModel.Retry[0].ErrorEquals: must be a non-empty array of error names, got []');
  });

  it('Noncompliance: BackoffRate below 1', () => {
    const definition = jsonPathMachine();
    definition.States.TrainModel.Retry[0].BackoffRate = 0.5;

    expect(rejection(definition).message).toBe('States.TrainModel.Retry[0].BackoffRate: must be a number of at least 1.0, got 0.5');
  });

  it('Noncompliance: an unknown JitterStrategy', () => {
    const definition = jsonPathMachine();
    definition.States.TrainModel.Retry[0].JitterStrategy = 'RANDOM';

    expect(rejection(definition).message).toBe('States.TrainModel.Retry[0].JitterStrategy: must be FULL or NONE, got "RANDOM"');
  });

  it('Noncompliance: Retry on a Pass state', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare.Retry = [{ ErrorEquals: ['States.ALL'] }];

    expect(rejection(definition).message).toBe('States.Prepare.Retry: only Task, Parallel and Map states can have Retry, this is a Pass state');
  });
});

describe('Map ProcessorConfig', () => {
  it('Noncompliance: an unknown Mode', () => {
    const definition = jsonPathMachine();
    definition.States.Fan.ItemProcessor.ProcessorConfig = { Mode: 'PARALLEL' };

    expect(rejection(definition).message).toBe('States.Fan.ItemProcessor.ProcessorConfig.Mode: must be INLINE or DISTRIBUTED, got "PARALLEL"');
  });

  it('Noncompliance: DISTRIBUTED without ExecutionType', () => {
    const definition = jsonPathMachine();
    definition.States.Fan.ItemProcessor.ProcessorConfig = { Mode: 'DISTRIBUTED' };

    expect(rejection(definition).message).toBe(
      'States.Fan.ItemProcessor.ProcessorConfig.ExecutionType: a DISTRIBUTED Map needs ExecutionType STANDARD or EXPRESS, got nothing',
    );
  });

  it('Noncompliance: ItemReader on an inline Map', () => {
    const definition = jsonPathMachine();
    definition.States.Fan.ItemReader = { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } };

    expect(rejection(definition).message).toBe(
      'States.Fan.ItemReader: ItemReader needs a Distributed Map: set ItemProcessor.ProcessorConfig.Mode to DISTRIBUTED (with an ExecutionType)',
    );
  });
});

describe('unsupported features', () => {
  function distributed(extra: Record<string, unknown>): Record<string, any> {
    const definition = jsonPathMachine();
    definition.States.Fan.ItemProcessor.ProcessorConfig = { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' };
    Object.assign(definition.States.Fan, extra);
    return definition;
  }

  it('lists every unsupported feature with advice', () => {
    expect(UNSUPPORTED.map((feature) => feature.field)).toEqual(['ResultWriter', 'ItemReader.ReaderConfig.InputType', 'ItemReader.Resource']);
  });

  it('Noncompliance: ResultWriter', () => {
    const definition = distributed({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } } });

    expect(rejection(definition).message).toBe(
      'States.Fan.ResultWriter: ResultWriter is not supported by the local interpreter; remove it: the Map output is then the array of child results',
    );
  });

  it('Noncompliance: a MANIFEST ItemReader', () => {
    const definition = distributed({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'MANIFEST' }, Parameters: { Bucket: 'b', Key: 'k' } },
    });
    delete definition.States.Fan.ItemsPath;

    expect(rejection(definition).message).toBe(
      'States.Fan.ItemReader.ReaderConfig.InputType: ItemReader.ReaderConfig.InputType "MANIFEST" is not supported by the local interpreter; supported locally: JSON, JSONL, CSV',
    );
  });
});

describe('exclusive fields', () => {
  it('Noncompliance: a Wait state with two durations', () => {
    const definition = jsonPathMachine();
    definition.States.Fan.ItemProcessor.States.Step = { Type: 'Wait', Seconds: 5, SecondsPath: '$.s', End: true };

    expect(rejection(definition).message).toBe(
      'States.Fan.ItemProcessor.States.Step.SecondsPath: a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath, got Seconds and SecondsPath',
    );
  });

  it('Noncompliance: TimeoutSeconds and TimeoutSecondsPath together', () => {
    const definition = jsonPathMachine();
    Object.assign(definition.States.TrainModel, { TimeoutSeconds: 60, TimeoutSecondsPath: '$.timeout' });

    expect(rejection(definition).message).toBe(
      'States.TrainModel.TimeoutSecondsPath: TimeoutSeconds and TimeoutSecondsPath cannot both be set; use one of TimeoutSeconds, TimeoutSecondsPath',
    );
  });
});

describe('payload template fields', () => {
  it('Noncompliance: a field set both literally and with .$', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare.Parameters = { name: 'fixed', 'name.$': '$.id' };

    expect(rejection(definition).message).toBe(
      'States.Prepare.Parameters["name.$"]: both "name" and "name.$" are set; after the ".$" is stripped they would be the same field',
    );
  });
});

describe('asl-validator schema rules', () => {
  it('Noncompliance: an OutputPath that is not a path', () => {
    const definition = jsonPathMachine();
    definition.States.Prepare.OutputPath = 'result';

    expect(rejection(definition).message).toBe(
      'States.Prepare.OutputPath: must be a JSONPath such as $.a.b, got "result" (asl-validator schema paths.json#/definitions/asl_path/format)',
    );
  });

  it('Noncompliance: a Task Resource that is not an ARN', () => {
    const definition = jsonPathMachine();
    definition.States.TrainModel.Resource = 'train-model';

    const error = rejection(definition);

    expect([error.statePath, error.field]).toEqual(['States.TrainModel', 'Resource']);
  });
});
