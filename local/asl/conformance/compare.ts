/**
 * How an execution's outcome is compared with what AWS recorded: the same normalisation and
 * strict JSON comparison as `shared/conformance/run-aws-recorded.py`, so the in-process runner and
 * the per-process script agree case for case. ARNs, UUIDs and ISO-8601 timestamps are normalised on
 * both sides; placeholder tokens of the recording (`<ExecArnPart_0idx>`, `<json-input:1>`, the
 * replacements a recording test declared) match any text, or any value where the whole value was
 * replaced.
 */

const ARN = /arn:(?:aws[A-Za-z-]*|<partition>):[^\s"',]*/g;
const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;
const UUID_TOKEN = /<uuid:\d+>/g;
const ISO_TIMESTAMP =
  /[1-9]\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d(?::?[0-5]\d)?)/g;
const TOKEN_SOURCE = '<[A-Za-z][\\w\\-]*(?::\\d+)?>';
const STABLE_TOKENS = new Set(['<arn>', '<uuid>']);
const ROLE_PLACEHOLDERS = new Set(['snf_role_arn', 'sfn_role_arn']);

/** Marks a member that one side does not have. */
export const ABSENT: unique symbol = Symbol('absent');
type Value = unknown;

export function normaliseText(text: string): string {
  let out = text.replace(ARN, '<arn>').replace(UUID_TOKEN, '<uuid>').replace(UUID, '<uuid>').replace(ISO_TIMESTAMP, 'date');
  if (ROLE_PLACEHOLDERS.has(out)) out = '<arn>';
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A difference: where, what AWS had, what the local engine produced. */
export interface Difference {
  path: string;
  expected: Value;
  actual: Value;
}

export type Placeholders = Record<string, string>;

export class Matcher {
  private readonly anyValue: Set<string>;
  private readonly anyText: string[];

  constructor(placeholders: Placeholders = {}) {
    const entries = Object.entries(placeholders);
    this.anyValue = new Set(entries.filter(([, kind]) => kind === 'any-value').map(([text]) => text));
    this.anyText = entries
      .filter(([, kind]) => kind !== 'any-value')
      .map(([text]) => text)
      .sort((a, b) => b.length - a.length);
  }

  /** A regular expression for a normalised expected string whose placeholders match any text. */
  private textPattern(expected: string): RegExp | undefined {
    const parts = this.anyText.filter((text) => text !== '' && expected.includes(text)).map(escapeRegExp);
    const wild = new RegExp([...parts, TOKEN_SOURCE].join('|'), 'g');
    const pieces: string[] = [];
    let position = 0;
    let found = false;
    for (const match of expected.matchAll(wild)) {
      if (STABLE_TOKENS.has(match[0])) continue;
      found = true;
      pieces.push(escapeRegExp(expected.slice(position, match.index)));
      // A placeholder standing for a generated UUID still demands a UUID (normalised to <uuid>).
      pieces.push(match[0].toLowerCase().includes('uuid') ? escapeRegExp('<uuid>') : '[\\s\\S]*?');
      position = match.index + match[0].length;
    }
    if (!found) return undefined;
    pieces.push(escapeRegExp(expected.slice(position)));
    return new RegExp(`^(?:${pieces.join('')})$`);
  }

  textEqual(expected: string, actual: string): boolean {
    const e = normaliseText(expected);
    const a = normaliseText(actual);
    if (e === a) return true;
    return this.textPattern(e)?.test(a) ?? false;
  }

  /** undefined when equal, else the first difference. */
  diff(expected: Value, actual: Value, path = '$', key?: string): Difference | undefined {
    const differs = { path, expected, actual };
    if (typeof expected === 'string' && this.anyValue.has(expected)) return undefined;
    if (expected === 'timestamp' && key !== undefined && key.toLowerCase().includes('timestamp')) return undefined;
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) return differs;
      const common = Math.min(expected.length, actual.length);
      for (let i = 0; i < common; i++) {
        const inner = this.diff(expected[i], actual[i], `${path}[${i}]`, key);
        if (inner) return inner;
      }
      return expected.length === actual.length ? undefined : { path: `${path}.length`, expected: expected.length, actual: actual.length };
    }
    if (expected !== null && typeof expected === 'object') {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return differs;
      const e = expected as Record<string, Value>;
      const a = actual as Record<string, Value>;
      for (const member of Object.keys(e)) {
        if (!Object.hasOwn(a, member)) return { path: `${path}.${member}`, expected: e[member], actual: ABSENT };
        const inner = this.diff(e[member], a[member], `${path}.${member}`, member);
        if (inner) return inner;
      }
      for (const member of Object.keys(a)) {
        if (!Object.hasOwn(e, member)) return { path: `${path}.${member}`, expected: ABSENT, actual: a[member] };
      }
      return undefined;
    }
    if (typeof expected === 'string') {
      return typeof actual === 'string' && this.textEqual(expected, actual) ? undefined : differs;
    }
    return expected === actual ? undefined : differs;
  }
}

/** One recorded case, as `shared/conformance/README.md` describes it. */
export interface RecordedCase {
  id: string;
  category?: string;
  definition: unknown;
  input: unknown;
  expect: { status: string; output?: unknown; error?: string; cause?: unknown };
  placeholders?: Placeholders;
  mock?: { config: unknown; test_case: string; state_machine?: string };
}

/** What the local engine produced, as `pricesense exec --json` prints it. */
export interface ObservedOutcome {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

export function show(value: Value, limit = 160): string {
  if (value === ABSENT) return '<absent>';
  const text = JSON.stringify(sortKeys(value)) ?? 'undefined';
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}

function sortKeys(value: Value): Value {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, Value>)[key])]));
  }
  return value;
}

/** undefined when the outcome matches AWS, else a one-line description of the first difference. */
export function compareOutcome(recorded: RecordedCase, observed: ObservedOutcome): string | undefined {
  const expected = recorded.expect;
  const matcher = new Matcher(recorded.placeholders);
  const has = (object: object, member: string): boolean => Object.hasOwn(object, member);
  if (observed.status !== expected.status) {
    const got = observed.status !== 'SUCCEEDED'
      ? ` error=${show(observed.error ?? ABSENT, 80)} cause=${show(observed.cause ?? ABSENT, 200)}`
      : ` output=${show(observed.output, 200)}`;
    const want = expected.status === 'FAILED'
      ? ` (AWS error=${show(has(expected, 'error') ? expected.error : ABSENT, 60)} cause=${show(has(expected, 'cause') ? expected.cause : ABSENT, 120)})`
      : ` (AWS output=${show(expected.output, 120)})`;
    return `status: AWS=${expected.status} pricesense=${observed.status}${got}${want}`;
  }
  if (observed.status === 'SUCCEEDED') {
    const difference = matcher.diff(expected.output, has(observed, 'output') ? observed.output : ABSENT, 'output');
    return difference
      ? `output differs at ${difference.path}: AWS=${show(difference.expected)} pricesense=${show(difference.actual)}`
      : undefined;
  }
  if (expected.error !== observed.error) {
    return `error: AWS=${show(has(expected, 'error') ? expected.error : ABSENT)} pricesense=${show(observed.error ?? ABSENT)}`;
  }
  const wantCause = expected.cause;
  let gotCause: Value = observed.cause;
  if (wantCause !== null && typeof wantCause === 'object' && typeof gotCause === 'string') {
    try {
      gotCause = JSON.parse(gotCause);
    } catch {
      // compared as text below
    }
  }
  const ok = wantCause === undefined || wantCause === null
    ? gotCause === undefined || gotCause === null || gotCause === ''
    : gotCause !== undefined && gotCause !== null && matcher.diff(wantCause, gotCause, 'cause') === undefined;
  return ok
    ? undefined
    : `cause (error ${expected.error} matches): AWS=${show(has(expected, 'cause') ? wantCause : ABSENT, 400)} pricesense=${show(observed.cause ?? ABSENT, 400)}`;
}
