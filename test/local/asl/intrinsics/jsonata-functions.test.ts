import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { stepFunctionsJsonataFunctions } from '../../../../local/asl/intrinsics/index.js';

async function evaluate(expression: string, input: unknown = {}, random?: () => number): Promise<unknown> {
  return jsonata(expression).evaluate(input, stepFunctionsJsonataFunctions(random ? { random } : {}));
}

// Expected values follow the examples AWS gives for the Step Functions JSONata functions.
describe('Step Functions JSONata functions', () => {
  it('$partition splits an array into chunks', async () => {
    expect(await evaluate('$partition([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)')).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });

  it('$range includes the end value', async () => {
    expect(await evaluate('$range(0, 10, 2)')).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('$hash computes a hex digest', async () => {
    expect(await evaluate("$hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
  });

  it('$random without a seed uses the injected source', async () => {
    expect(await evaluate('$random()', {}, () => 0.25)).toBe(0.25);
  });

  it('$random with a seed is reproducible', async () => {
    const first = await evaluate('$random(7)', {}, () => 0);
    const second = await evaluate('$random(7)', {}, () => 0.9);

    expect(first).toBe(second);
  });

  it('$uuid returns a version 4 UUID', async () => {
    expect(await evaluate('$uuid()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('$parse turns a JSON string into a value', async () => {
    expect(await evaluate('$parse(payload)', { payload: '{"foo": [1, 2]}' })).toEqual({ foo: [1, 2] });
  });

  it('reports a bad argument naming the function', async () => {
    await expect(evaluate('$partition([1, 2], 0)')).rejects.toThrow('$partition: argument 2 (chunk size) must be a positive integer, got 0');
  });
});
