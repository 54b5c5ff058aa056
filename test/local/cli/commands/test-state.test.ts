import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../local/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'pricesense-test-state-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const jsonPathMachine = file('jsonpath.json', {
  StartAt: 'Shape',
  States: {
    Shape: {
      Type: 'Pass',
      InputPath: '$.order',
      Parameters: { 'sku.$': '$.sku', 'qty.$': '$.qty', source: 'web' },
      ResultPath: '$.shaped',
      Next: 'Gate',
    },
    Gate: {
      Type: 'Choice',
      Choices: [{ Variable: '$.accuracy', NumericGreaterThanEquals: 0.75, Next: 'Deploy' }],
      Default: 'ModelBelowThreshold',
    },
    Deploy: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'deploy', 'Payload.$': '$' },
      ResultSelector: { 'endpoint.$': '$.Payload.endpoint' },
      ResultPath: '$.deployed',
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'NotifyFailure' }],
      End: true,
    },
    NotifyFailure: { Type: 'Fail', Error: 'DeployFailed' },
    ModelBelowThreshold: { Type: 'Fail', Error: 'ModelBelowThreshold', Cause: 'accuracy too low' },
  },
});

const jsonataMachine = file('jsonata.json', {
  QueryLanguage: 'JSONata',
  StartAt: 'Score',
  States: {
    Score: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'score', Payload: { rows: '{% $states.input.rows * $factor %}' } },
      Assign: { accuracy: '{% $states.result.Payload.accuracy %}' },
      Output: { accuracy: '{% $states.result.Payload.accuracy %}', factor: '{% $factor %}' },
      End: true,
    },
  },
});

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  return { out, err };
}

async function testState(args: string[]): Promise<{ code: number; response: Record<string, unknown>; err: string[] }> {
  const { out, err } = capture();
  const code = await main(['test-state', ...args, '--json']);
  const text = out.join('');
  return { code, response: text ? (JSON.parse(text) as Record<string, unknown>) : {}, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pricesense test-state', () => {
  it('a JSONPath Pass shows every DEBUG data-flow step with its value', async () => {
    const input = { order: { sku: 'A-1', qty: 3, note: 'x' }, run: 7 };
    const { code, response } = await testState([
      '--definition', jsonPathMachine, '--state', 'Shape', '--input', JSON.stringify(input), '--inspection-level', 'DEBUG',
    ]);
    expect(code).toBe(0);
    expect(response).toEqual({
      status: 'SUCCEEDED',
      nextState: 'Gate',
      output: JSON.stringify({ order: { sku: 'A-1', qty: 3, note: 'x' }, run: 7, shaped: { sku: 'A-1', qty: 3, source: 'web' } }),
      inspectionData: {
        input: JSON.stringify(input),
        afterInputPath: JSON.stringify({ sku: 'A-1', qty: 3, note: 'x' }),
        afterParameters: JSON.stringify({ sku: 'A-1', qty: 3, source: 'web' }),
        result: JSON.stringify({ sku: 'A-1', qty: 3, source: 'web' }),
        afterResultSelector: JSON.stringify({ sku: 'A-1', qty: 3, source: 'web' }),
        afterResultPath: JSON.stringify({ order: { sku: 'A-1', qty: 3, note: 'x' }, run: 7, shaped: { sku: 'A-1', qty: 3, source: 'web' } }),
        variables: '{}',
      },
    });
  });

  it('a Choice answers with the nextState its rules pick', async () => {
    const high = await testState(['--definition', jsonPathMachine, '--state', 'Gate', '--input', '{"accuracy":0.8}']);
    expect([high.code, high.response]).toEqual([0, { status: 'SUCCEEDED', nextState: 'Deploy', output: '{"accuracy":0.8}' }]);
    const low = await testState(['--definition', jsonPathMachine, '--state', 'Gate', '--input', '{"accuracy":0.5}']);
    expect(low.response.nextState).toBe('ModelBelowThreshold');
  });

  it('a Task with a mocked result goes through ResultSelector and ResultPath', async () => {
    const { code, response } = await testState([
      '--definition', jsonPathMachine, '--state', 'Deploy', '--input', '{"model":"m1"}',
      '--mock', '{"result":{"Payload":{"endpoint":"ep-1","extra":true},"StatusCode":200}}', '--inspection-level', 'DEBUG',
    ]);
    expect(code).toBe(0);
    expect(response.status).toBe('SUCCEEDED');
    expect(response.output).toBe('{"model":"m1","deployed":{"endpoint":"ep-1"}}');
    expect(response.nextState).toBeUndefined();
    expect(response.inspectionData).toMatchObject({
      afterParameters: '{"FunctionName":"deploy","Payload":{"model":"m1"}}',
      result: '{"Payload":{"endpoint":"ep-1","extra":true},"StatusCode":200}',
      afterResultSelector: '{"endpoint":"ep-1"}',
      afterResultPath: '{"model":"m1","deployed":{"endpoint":"ep-1"}}',
    });
  });

  it('a Task whose mocked error a Catch matches is CAUGHT_ERROR with the Catcher\'s Next', async () => {
    const { code, response } = await testState([
      '--definition', jsonPathMachine, '--state', 'Deploy', '--input', '{"model":"m1"}',
      '--mock', '{"errorOutput":{"error":"Lambda.ServiceException","cause":"boom"}}',
    ]);
    expect([code, response]).toEqual([
      0,
      {
        status: 'CAUGHT_ERROR',
        error: 'Lambda.ServiceException',
        cause: 'boom',
        nextState: 'NotifyFailure',
        output: '{"model":"m1","failure":{"Error":"Lambda.ServiceException","Cause":"boom"}}',
      },
    ]);
  });

  it('a Task whose mocked error a Retrier matches is RETRIABLE (exit 1)', async () => {
    const { code, response } = await testState([
      '--definition', jsonPathMachine, '--state', 'Deploy', '--input', '{}',
      '--mock', '{"errorOutput":{"error":"Lambda.TooManyRequestsException","cause":"slow down"}}',
    ]);
    expect([code, response]).toEqual([1, { status: 'RETRIABLE', error: 'Lambda.TooManyRequestsException', cause: 'slow down' }]);
  });

  it('a Fail state is FAILED with its error and cause', async () => {
    const { code, response } = await testState(['--definition', jsonPathMachine, '--state', 'ModelBelowThreshold', '--input', '{}']);
    expect([code, response]).toEqual([1, { status: 'FAILED', error: 'ModelBelowThreshold', cause: 'accuracy too low' }]);
  });

  it('a JSONata Task shows afterArguments, the result and the variables it assigns', async () => {
    const { code, response } = await testState([
      '--definition', jsonataMachine, '--state', 'Score', '--input', '{"rows":10}', '--variables', '{"factor":2}',
      '--mock', '{"result":{"Payload":{"accuracy":0.91}}}', '--inspection-level', 'DEBUG',
    ]);
    expect([code, response]).toEqual([
      0,
      {
        status: 'SUCCEEDED',
        output: '{"accuracy":0.91,"factor":2}',
        inspectionData: {
          input: '{"rows":10}',
          afterArguments: '{"FunctionName":"score","Payload":{"rows":20}}',
          result: '{"Payload":{"accuracy":0.91}}',
          variables: '{"factor":2,"accuracy":0.91}',
        },
      },
    ]);
  });

  it('a state that does not exist is a usage error (exit 2) naming the states that do', async () => {
    const { code, err } = await testState(['--definition', jsonPathMachine, '--state', 'Nope', '--input', '{}']);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain(
      'state "Nope" does not exist in the definition; its states are: Shape, Gate, Deploy, NotifyFailure, ModelBelowThreshold',
    );
  });

  it('a Task without --mock is a usage error', async () => {
    const { code, err } = await testState(['--definition', jsonPathMachine, '--state', 'Deploy', '--input', '{}']);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('state "Deploy" is a Task: offline TestState needs a mock');
  });

  it('prints a human report without --json', async () => {
    const { out } = capture();
    const code = await main(['test-state', '--definition', jsonPathMachine, '--state', 'Gate', '--input', '{"accuracy":0.9}']);
    expect(code).toBe(0);
    expect(out.join('')).toBe('status: SUCCEEDED\nnextState: Deploy\noutput:\n    {\n      "accuracy": 0.9\n    }\n');
  });
});

describe('pricesense test-state on a Map', () => {
  const mapMachine = file('map.json', {
    StartAt: 'ScoreAll',
    States: {
      ScoreAll: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { StartAt: 'Score', States: { Score: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
        ResultPath: '$.scores',
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  });

  it('a mocked Map is not run: the mock is its result, through ResultPath', async () => {
    const { code, response } = await testState([
      '--definition', mapMachine, '--state', 'ScoreAll', '--input', '{"items":[1,2]}', '--mock', '{"result":[10,20]}', '--inspection-level', 'DEBUG',
    ]);
    expect(code).toBe(0);
    expect(response).toMatchObject({ status: 'SUCCEEDED', nextState: 'Done', output: '{"items":[1,2],"scores":[10,20]}' });
    expect(response.inspectionData).toMatchObject({ result: '[10,20]', afterResultPath: '{"items":[1,2],"scores":[10,20]}' });
  });
});

describe('pricesense test-state, other shapes', () => {
  it('a Wait answers at once with its nextState (virtual clock, no real waiting)', async () => {
    const wait = file('wait.json', { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Succeed' } } });
    const { code, response } = await testState(['--definition', wait, '--state', 'Hold', '--input', '{"a":1}']);
    expect([code, response]).toEqual([0, { status: 'SUCCEEDED', output: '{"a":1}', nextState: 'Done' }]);
  });

  it('takes a single state as the definition and the input from @FILE', async () => {
    const single = file('single.json', { Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r', Next: 'Elsewhere' });
    const input = file('input.json', { a: 1 });
    const { code, response } = await testState(['--definition', single, '--state', 'Shape', '--input', `@${input}`]);
    expect([code, response]).toEqual([0, { status: 'SUCCEEDED', output: '{"a":1,"r":{"x":1}}', nextState: 'Elsewhere' }]);
  });
});
