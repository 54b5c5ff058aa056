import { describe, expect, it } from 'vitest';
import { compareOutcome, Matcher, normaliseText } from '../../../local/asl/conformance/compare.js';

const recorded = (expect: object, placeholders?: Record<string, string>) => ({
  id: 'case',
  definition: {},
  input: {},
  expect: expect as never,
  ...(placeholders ? { placeholders } : {}),
});

describe('conformance comparison (same rules as run-aws-recorded.py)', () => {
  it('normalises ARNs, UUIDs and ISO timestamps', () => {
    expect(normaliseText('arn:aws:states:us-east-1:1:execution:m:e 2024-01-01T00:00:00.123Z 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b')).toBe('<arn> date <uuid>');
  });

  it('lets a recording token stand for any text, but a uuid token only for a UUID', () => {
    const matcher = new Matcher();
    expect(matcher.textEqual("state '<ArnPart_0idx>' failed", "state 'anything at all' failed")).toBe(true);
    expect(matcher.textEqual('id <uuid:1>', 'id 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(matcher.textEqual('id <uuid:1>', 'id not-a-uuid')).toBe(false);
  });

  it('an any-value placeholder matches any value, an any-text one any text inside a string', () => {
    const matcher = new Matcher({ 'start-time': 'any-text', volatile: 'any-value' });
    expect(matcher.diff({ t: 'at start-time', v: 'volatile' }, { t: 'at 12:00', v: { deep: [1] } })).toBeUndefined();
  });

  it('reports the first difference with its path, extra members included', () => {
    const matcher = new Matcher();
    expect(matcher.diff({ a: [1, 2] }, { a: [1, 3] })).toEqual({ path: '$.a[1]', expected: 2, actual: 3 });
    expect(matcher.diff({ a: 1 }, { a: 1, b: 2 })?.path).toBe('$.b');
    expect(matcher.diff(true, 1)).toEqual({ path: '$', expected: true, actual: 1 });
  });

  it('compares status, then error, then cause (an expected JSON cause against the parsed text)', () => {
    const aws = recorded({ status: 'FAILED', error: 'Exception', cause: { errorMessage: 'boom' } });
    expect(compareOutcome(aws, { status: 'FAILED', error: 'Exception', cause: '{"errorMessage":"boom"}' })).toBeUndefined();
    expect(compareOutcome(aws, { status: 'FAILED', error: 'Other', cause: '' })).toBe('error: AWS="Exception" pricesense="Other"');
    expect(compareOutcome(aws, { status: 'SUCCEEDED', output: 1 })).toBe(
      'status: AWS=FAILED pricesense=SUCCEEDED output=1 (AWS error="Exception" cause={"errorMessage":"boom"})',
    );
  });

  it('an expected absent cause accepts an empty one', () => {
    expect(compareOutcome(recorded({ status: 'FAILED', error: 'States.Timeout' }), { status: 'FAILED', error: 'States.Timeout', cause: '' })).toBeUndefined();
  });
});
