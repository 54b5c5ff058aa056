import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../../../../local/asl/intrinsics/index.js';
import { resolverOver } from './resolve-test-path.js';

// Expected values are the examples of the AWS Step Functions "Intrinsic functions" documentation.
const noInput = resolverOver({});

describe('States.Format', () => {
  it('fills each {} with the positional argument', () => {
    const resolve = resolverOver({ name: 'Foo' });

    const result = evaluateIntrinsic("States.Format('Your name is {}, we are in the year {}', $.name, 2020)", resolve);

    expect(result).toBe('Your name is Foo, we are in the year 2020');
  });

  it('takes the template from a path', () => {
    const resolve = resolverOver({ name: 'Arnav', template: 'Hello, my name is {}.' });

    expect(evaluateIntrinsic('States.Format($.template, $.name)', resolve)).toBe('Hello, my name is Arnav.');
  });

  it('writes escaped braces, quotes and backslashes literally', () => {
    const result = evaluateIntrinsic("States.Format('\\{\\} it\\'s {} \\\\ ok', 'x')", noInput);

    expect(result).toBe("{} it's x \\ ok");
  });

  it('renders null and booleans as JSON words', () => {
    expect(evaluateIntrinsic("States.Format('{} {} {}', null, true, 1.5)", noInput)).toBe('null true 1.5');
  });
});

describe('JSON conversion', () => {
  it('States.StringToJson parses an escaped JSON string', () => {
    const resolve = resolverOver({ escapedJsonString: '{"foo": "bar"}' });

    expect(evaluateIntrinsic('States.StringToJson($.escapedJsonString)', resolve)).toEqual({ foo: 'bar' });
  });

  it('States.StringToJson accepts unescaped braces in a literal outside Format templates', () => {
    expect(evaluateIntrinsic('States.StringToJson(\'{"number": 20}\')', noInput)).toEqual({ number: 20 });
  });

  it('States.JsonToString serializes the value at a path', () => {
    const resolve = resolverOver({ unescapedJson: { foo: 'bar' } });

    expect(evaluateIntrinsic('States.JsonToString($.unescapedJson)', resolve)).toBe('{"foo":"bar"}');
  });

  it('States.JsonMerge merges shallowly, the second object winning', () => {
    const resolve = resolverOver({ json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } });

    const result = evaluateIntrinsic('States.JsonMerge($.json1, $.json2, false)', resolve);

    expect(result).toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3 });
  });
});

describe('array intrinsics', () => {
  const nine = resolverOver({ inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5, index: 5 });

  it('States.Array collects its arguments in order', () => {
    const resolve = resolverOver({ someJson: { random: 'abcdefg' } });

    const result = evaluateIntrinsic("States.Array('Foo', 2020, $.someJson, null)", resolve);

    expect(result).toEqual(['Foo', 2020, { random: 'abcdefg' }, null]);
  });

  it('States.Array with no arguments is an empty array', () => {
    expect(evaluateIntrinsic('States.Array()', noInput)).toEqual([]);
  });

  it('States.ArrayPartition cuts chunks of the given size, the last one shorter', () => {
    const resolve = resolverOver({ inputArray: [1, 2, 3, 4, 5, 6, 7] });

    expect(evaluateIntrinsic('States.ArrayPartition($.inputArray, 4)', resolve)).toEqual([[1, 2, 3, 4], [5, 6, 7]]);
  });

  it('States.ArrayContains finds a value', () => {
    expect(evaluateIntrinsic('States.ArrayContains($.inputArray, $.lookingFor)', nine)).toBe(true);
  });

  it('States.ArrayContains compares objects structurally', () => {
    const resolve = resolverOver({ list: [{ a: 1, b: 2 }], wanted: { b: 2, a: 1 } });

    expect(evaluateIntrinsic('States.ArrayContains($.list, $.wanted)', resolve)).toBe(true);
  });

  it('States.ArrayRange counts from start to end by step', () => {
    expect(evaluateIntrinsic('States.ArrayRange(1, 9, 2)', noInput)).toEqual([1, 3, 5, 7, 9]);
  });

  it('States.ArrayRange counts down with a negative step', () => {
    expect(evaluateIntrinsic('States.ArrayRange(5, 1, -2)', noInput)).toEqual([5, 3, 1]);
  });

  it('States.ArrayGetItem returns the item at a zero-based index', () => {
    expect(evaluateIntrinsic('States.ArrayGetItem($.inputArray, $.index)', nine)).toBe(6);
  });

  it('States.ArrayLength counts the items', () => {
    expect(evaluateIntrinsic('States.ArrayLength($.inputArray)', nine)).toBe(9);
  });

  it('States.ArrayUnique keeps the first of each value', () => {
    const resolve = resolverOver({ values: [1, 2, 3, 3, 3, 3, 3, 3, 4] });

    expect(evaluateIntrinsic('States.ArrayUnique($.values)', resolve)).toEqual([1, 2, 3, 4]);
  });
});

describe('encoding and hashing', () => {
  it('States.Base64Encode encodes UTF-8 text', () => {
    expect(evaluateIntrinsic("States.Base64Encode('Data to encode')", noInput)).toBe('RGF0YSB0byBlbmNvZGU=');
  });

  it('States.Base64Decode decodes to text', () => {
    expect(evaluateIntrinsic("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", noInput)).toBe('Data to encode');
  });

  it('States.Hash computes SHA-1 as in the AWS example', () => {
    const resolve = resolverOver({ Data: 'input data', Algorithm: 'SHA-1' });

    expect(evaluateIntrinsic('States.Hash($.Data, $.Algorithm)', resolve)).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
  });

  it.each([
    ['MD5', '', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['SHA-256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'SHA-384',
      'abc',
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    ],
    [
      'SHA-512',
      'abc',
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
  ])('States.Hash supports %s (standard test vector)', (algorithm, data, digest) => {
    expect(evaluateIntrinsic(`States.Hash('${data}', '${algorithm}')`, noInput)).toBe(digest);
  });
});

describe('math and generators', () => {
  it('States.MathAdd adds a step to a value', () => {
    expect(evaluateIntrinsic('States.MathAdd(111, -1)', noInput)).toBe(110);
  });

  it('States.MathAdd rounds non-integer arguments to the nearest integer', () => {
    expect(evaluateIntrinsic('States.MathAdd(1.6, 2)', noInput)).toBe(4);
  });

  it('States.MathRandom maps the random source onto [start, end)', () => {
    const resolve = resolverOver({ start: 1, end: 999 });

    const low = evaluateIntrinsic('States.MathRandom($.start, $.end)', resolve, { random: () => 0 });
    const high = evaluateIntrinsic('States.MathRandom($.start, $.end)', resolve, { random: () => 0.999999 });

    expect([low, high]).toEqual([1, 998]);
  });

  it('States.MathRandom with a seed returns the same number every time', () => {
    const first = evaluateIntrinsic('States.MathRandom(1, 1000, 42)', noInput, { random: () => 0 });
    const second = evaluateIntrinsic('States.MathRandom(1, 1000, 42)', noInput, { random: () => 0.5 });

    expect(first).toBe(second);
  });

  it('States.UUID returns a version 4 UUID', () => {
    expect(evaluateIntrinsic('States.UUID()', noInput)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('States.StringSplit', () => {
  it('splits on a single delimiter', () => {
    const resolve = resolverOver({ inputString: '1,2,3,4,5', splitter: ',' });

    expect(evaluateIntrinsic('States.StringSplit($.inputString, $.splitter)', resolve)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('treats every character of the splitter as a delimiter', () => {
    const resolve = resolverOver({ inputString: 'This.is+a,test=string', splitter: '.+,=' });

    const result = evaluateIntrinsic('States.StringSplit($.inputString, $.splitter)', resolve);

    expect(result).toEqual(['This', 'is', 'a', 'test', 'string']);
  });
});

describe('arguments', () => {
  it('resolves context-object paths', () => {
    const resolve = resolverOver({}, { Execution: { Name: 'run-1' } });

    expect(evaluateIntrinsic("States.Format('job-{}', $$.Execution.Name)", resolve)).toBe('job-run-1');
  });

  it('resolves variable references', () => {
    const resolve = resolverOver({}, {}, { model: { version: 7 } });

    expect(evaluateIntrinsic("States.Format('v{}', $model.version)", resolve)).toBe('v7');
  });

  it('evaluates nested calls', () => {
    const resolve = resolverOver({ arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.2' });

    const result = evaluateIntrinsic(
      "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit($.arn, '/'), 1), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.arn, '/'), 2), '.'), 0))",
      resolve,
    );

    expect(result).toBe('my-recipe.1');
  });

  it('passes whole bracketed paths with commas inside to the resolver', () => {
    const seen: string[] = [];
    const resolve = (path: string) => {
      seen.push(path);
      return [1];
    };

    evaluateIntrinsic("States.ArrayLength($.items[?(@.name == 'a, b')])", resolve);

    expect(seen).toEqual(["$.items[?(@.name == 'a, b')]"]);
  });
});
