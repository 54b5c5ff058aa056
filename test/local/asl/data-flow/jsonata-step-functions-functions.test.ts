import { describe, expect, it } from 'vitest';
import { evaluateJsonata, evaluateJsonataTemplate } from '../../../../local/asl/data-flow/jsonata.js';
import { StatesError } from '../../../../local/asl/errors/states-error.js';

const states = { input: { items: [1, 2, 3, 4, 5], text: '{"a":[1,2]}' }, context: {} };

function evaluate(expression: string, options: { random?: () => number } = {}): Promise<unknown> {
  return evaluateJsonata(`{% ${expression} %}`, states, {}, 'Output', options);
}

describe('Step Functions JSONata functions in JSONata evaluation', () => {
  it('$partition splits an array into chunks of the given size', async () => {
    expect(await evaluate('$partition($states.input.items, 2)')).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('$range counts from start to end by step, both ends included', async () => {
    expect(await evaluate('$range(0, 10, 5)')).toEqual([0, 5, 10]);
  });

  it('$hash gives the hex digest of a string with the named algorithm', async () => {
    expect(await evaluate("$hash('abc', 'SHA-256')")).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('$parse turns a JSON string into a value', async () => {
    expect(await evaluate('$parse($states.input.text)')).toEqual({ a: [1, 2] });
  });

  it('$uuid returns a version-4 UUID', async () => {
    expect(await evaluate('$uuid()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('$random without a seed uses the random source given to the evaluation', async () => {
    expect(await evaluate('$random()', { random: () => 0.25 })).toBe(0.25);
  });

  it('$random with the same seed returns the same number', async () => {
    const [first, second] = [await evaluate('$random(42)'), await evaluate('$random(42)')];

    expect(first).toBe(second);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1);
  });

  it('reaches the functions in {% %} strings nested inside a template', async () => {
    const value = await evaluateJsonataTemplate({ batches: '{% $partition([1, 2, 3], 2) %}', n: ['{% $range(1, 2, 1) %}'] }, states, {}, 'Arguments');

    expect(value).toEqual({ batches: [[1, 2], [3]], n: [[1, 2]] });
  });

  it('a state variable of the same name wins over the function', async () => {
    expect(await evaluateJsonata('{% $range %}', states, { range: 'mine' }, 'Output')).toBe('mine');
  });

  it('reports a bad argument as States.QueryEvaluationError naming the function', async () => {
    const error = await evaluate("$partition($states.input.items, 'two')").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StatesError);
    expect((error as StatesError).error).toBe('States.QueryEvaluationError');
    expect((error as StatesError).cause).toContain('$partition');
  });
});
