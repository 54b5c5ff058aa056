import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic, IntrinsicFailureError, isIntrinsicCall } from '../../../../local/asl/intrinsics/index.js';
import { resolverOver } from './resolve-test-path.js';

const noInput = resolverOver({});

function failureOf(expression: string, resolve = noInput): IntrinsicFailureError {
  try {
    evaluateIntrinsic(expression, resolve);
  } catch (error) {
    if (error instanceof IntrinsicFailureError) return error;
    throw error;
  }
  throw new Error(`expected ${expression} to fail`);
}

describe('IntrinsicFailureError', () => {
  it('carries the ASL error name States.IntrinsicFailure', () => {
    expect(failureOf('States.ArrayLength(1)').name).toBe('States.IntrinsicFailure');
  });
});

describe('syntax errors', () => {
  it('reports an unclosed string', () => {
    expect(failureOf("States.Format('abc").message).toBe(
      "Invalid intrinsic function call 'States.Format('abc': the string starting at position 14 is not closed with '",
    );
  });

  it('reports a missing closing parenthesis', () => {
    expect(failureOf("States.Array('a'").message).toBe(
      "Invalid intrinsic function call 'States.Array('a'': expected ',' or ')' in the arguments of States.Array, found the end of the expression at position 16",
    );
  });

  it('reports text after the call', () => {
    expect(failureOf('States.UUID() 1').message).toContain("expected the end of the expression, found '1' at position 14");
  });

  it('reports an unexpected character', () => {
    expect(failureOf('States.Array(#)').message).toContain("unexpected '#' at position 13");
  });

  it('names an unknown function and lists the known ones', () => {
    expect(failureOf('States.Nope(1)').message).toMatch(/^Unknown intrinsic function 'States.Nope'; known functions: States.Format, /);
  });

  it('rejects nesting deeper than 10 calls', () => {
    const expression = `${'States.Array('.repeat(11)}${')'.repeat(11)}`;

    expect(failureOf(expression).message).toContain('nested deeper than 10 levels');
  });

  it('names a path that matched nothing', () => {
    expect(failureOf('States.ArrayLength($.missing)').message).toBe("The path '$.missing' did not match anything in the input");
  });
});

describe('argument errors', () => {
  it('States.Format: placeholder count must match the values', () => {
    expect(failureOf("States.Format('{} and {}', 'a')").message).toBe(
      'States.Format: the template has 2 {} placeholders but 1 value was given',
    );
  });

  it('States.Format: an unescaped lone brace is rejected', () => {
    expect(failureOf("States.Format('a { b')").message).toBe(
      "States.Format: argument 1 (template) has an unescaped '{' at position 17 (write \\{ for a literal brace)",
    );
  });

  it('States.Format: a template with fewer placeholders than values fails', () => {
    const resolve = resolverOver({ o: 1 });

    expect(failureOf("States.Format('{}', $.o, $.o)", resolve).message).toBe(
      'States.Format: the template has 1 {} placeholder but 2 values were given',
    );
  });

  it('States.StringToJson: invalid JSON is named', () => {
    expect(failureOf("States.StringToJson('{nope')").message).toMatch(/^States.StringToJson: argument 1 is not valid JSON \(.*\): "\{nope"$/);
  });

  it('States.ArrayPartition: chunk size must be positive', () => {
    expect(failureOf('States.ArrayPartition(States.Array(1), 0)').message).toBe(
      'States.ArrayPartition: argument 2 (chunk size) must be a positive integer, got 0',
    );
  });

  it('States.ArrayRange: step must not be zero', () => {
    expect(failureOf('States.ArrayRange(1, 9, 0)').message).toBe('States.ArrayRange: argument 3 (step) must be a non-zero integer, got 0');
  });

  it('States.ArrayRange: at most 1000 items', () => {
    expect(failureOf('States.ArrayRange(1, 1001, 1)').message).toBe(
      'States.ArrayRange: the range 1..1001 step 1 has 1001 items; at most 1000 are allowed',
    );
  });

  it('States.ArrayRange: bounds must be integers', () => {
    expect(failureOf("States.ArrayRange('1', 9, 2)").message).toBe('States.ArrayRange: argument 1 (start) must be an integer, got "1" (string)');
  });

  it('States.ArrayGetItem: index out of bounds', () => {
    expect(failureOf('States.ArrayGetItem(States.Array(1, 2), 2)').message).toBe(
      'States.ArrayGetItem: argument 2 (index) 2 is out of bounds for an array of length 2',
    );
  });

  it('States.ArrayLength: argument must be an array', () => {
    expect(failureOf("States.ArrayLength('abc')").message).toBe('States.ArrayLength: argument 1 (array) must be an array, got "abc" (string)');
  });

  it('States.ArrayContains: wrong argument count', () => {
    expect(failureOf('States.ArrayContains(States.Array(1))').message).toBe('States.ArrayContains: expected 2 arguments, got 1');
  });

  it('States.Base64Decode: invalid base64 is named', () => {
    expect(failureOf("States.Base64Decode('abc$')").message).toBe('States.Base64Decode: argument 1 (base64 data) is not valid base64: "abc$"');
  });

  it('States.Base64Encode: input longer than 10,000 characters', () => {
    const resolve = resolverOver({ big: 'x'.repeat(10_001) });

    expect(failureOf('States.Base64Encode($.big)', resolve).message).toBe(
      'States.Base64Encode: argument 1 (data) must be at most 10000 characters, got 10001',
    );
  });

  it('States.Hash: unknown algorithm lists the allowed ones', () => {
    expect(failureOf("States.Hash('x', 'SHA-3')").message).toBe(
      'States.Hash: argument 2 (algorithm) must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got "SHA-3"',
    );
  });

  it('States.JsonMerge: deep merge is refused', () => {
    const resolve = resolverOver({ a: {}, b: {} });

    expect(failureOf('States.JsonMerge($.a, $.b, true)', resolve).message).toBe(
      'States.JsonMerge: argument 3 (deep merge) must be false: only shallow merging is supported, as on AWS',
    );
  });

  it('States.JsonMerge: arguments must be objects', () => {
    expect(failureOf('States.JsonMerge(States.Array(), States.Array(), false)').message).toBe(
      'States.JsonMerge: argument 1 (first object) must be a JSON object, got [] (array)',
    );
  });

  it('States.MathRandom: end must exceed start', () => {
    expect(failureOf('States.MathRandom(5, 5)').message).toBe(
      'States.MathRandom: argument 2 (end) must be greater than argument 1 (start), got start 5 and end 5',
    );
  });

  it('States.MathAdd: values outside the 32-bit range', () => {
    expect(failureOf('States.MathAdd(2147483648, 1)').message).toBe(
      'States.MathAdd: argument 1 (value) must be between -2147483648 and 2147483647, got 2147483648 (number)',
    );
  });

  it('States.StringSplit: empty delimiters', () => {
    expect(failureOf("States.StringSplit('a,b', '')").message).toBe('States.StringSplit: argument 2 (delimiters) must not be empty');
  });

  it('States.UUID: takes no arguments', () => {
    expect(failureOf('States.UUID(1)').message).toBe('States.UUID: expected 0 arguments, got 1');
  });
});

describe('isIntrinsicCall', () => {
  it('accepts a call', () => {
    expect(isIntrinsicCall("States.Format('{}', $.a)")).toBe(true);
  });

  it('rejects a plain path', () => {
    expect(isIntrinsicCall('$.States.Format')).toBe(false);
  });

  it('rejects a name without parentheses', () => {
    expect(isIntrinsicCall('States.Format')).toBe(false);
  });
});
