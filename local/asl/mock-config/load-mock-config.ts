import { describeRange, parseInvocationKey } from './invocation-range.js';
import { jsonPathLabel, type BracketedKey } from './json-path-label.js';
import type { MockConfig, MockedOutcome, MockedResponse } from './mock-config.js';
import { MockConfigError } from './mock-config-error.js';
import { mockConfigSchema, throwSchema } from './mock-config-schema.js';

/**
 * Validates a parsed MockConfigFile (AWS Step Functions Local format) and returns it in a form
 * that answers "what does invocation N of this state do". Every problem names its JSON path.
 */
export function loadMockConfig(json: unknown): MockConfig {
  const parsed = mockConfigSchema.safeParse(json);
  if (!parsed.success) throw configError(parsed.error.issues.map((issue) => problem(withInvocationKeys(issue.path), issue.message)));

  const problems: string[] = [];
  const mockedResponses: Record<string, MockedResponse> = {};
  for (const [name, entries] of Object.entries(parsed.data.MockedResponses)) {
    mockedResponses[name] = readResponse(name, entries, problems);
  }
  for (const [machine, { TestCases }] of Object.entries(parsed.data.StateMachines)) {
    for (const [testCase, states] of Object.entries(TestCases)) {
      for (const [state, responseName] of Object.entries(states)) {
        if (!Object.hasOwn(mockedResponses, responseName)) {
          const known = Object.keys(mockedResponses);
          problems.push(
            problem(
              ['StateMachines', machine, 'TestCases', testCase, state],
              `refers to mocked response ${JSON.stringify(responseName)}, which MockedResponses does not define (defined: ${known.length > 0 ? known.join(', ') : 'none'})`,
            ),
          );
        }
      }
    }
  }
  if (problems.length > 0) throw configError(problems);

  const stateMachines: MockConfig['stateMachines'] = {};
  for (const [machine, { TestCases }] of Object.entries(parsed.data.StateMachines)) stateMachines[machine] = TestCases;
  return { stateMachines, mockedResponses };
}

function readResponse(name: string, rawEntries: Record<string, Record<string, unknown>>, problems: string[]): MockedResponse {
  const response: MockedResponse = { name, entries: [] };
  for (const [key, entry] of Object.entries(rawEntries)) {
    const path = ['MockedResponses', name, { bracketed: key }];
    const range = parseInvocationKey(key);
    if (typeof range === 'string') {
      problems.push(problem(path, range));
      continue;
    }
    const outcome = readOutcome(entry, path, problems);
    if (outcome) response.entries.push({ range, outcome });
  }
  response.entries.sort((left, right) => left.range.first - right.range.first);
  for (let index = 1; index < response.entries.length; index += 1) {
    const previous = response.entries[index - 1]!.range;
    const current = response.entries[index]!.range;
    if (current.first <= previous.last) {
      problems.push(
        problem(['MockedResponses', name, { bracketed: describeRange(current) }], `overlaps ${JSON.stringify(describeRange(previous))}: each invocation may have only one response`),
      );
    }
  }
  return response;
}

function readOutcome(entry: Record<string, unknown>, path: (string | BracketedKey)[], problems: string[]): MockedOutcome | undefined {
  if (Object.hasOwn(entry, 'Return')) return { kind: 'return', value: entry.Return };
  const thrown = throwSchema.safeParse(entry.Throw);
  if (!thrown.success) {
    problems.push(...thrown.error.issues.map((issue) => problem([...path, 'Throw', ...issue.path], issue.message)));
    return undefined;
  }
  const { Error: error, Cause: cause } = thrown.data;
  return cause === undefined ? { kind: 'throw', error } : { kind: 'throw', error, cause };
}

/** Under MockedResponses.<name>, the third segment is an invocation key: always shown bracketed. */
function withInvocationKeys(path: readonly PropertyKey[]): (PropertyKey | BracketedKey)[] {
  const [section, name, key, ...rest] = path;
  if (section !== 'MockedResponses' || typeof key !== 'string') return [...path];
  return [section, name!, { bracketed: key }, ...rest];
}

function problem(path: readonly (PropertyKey | BracketedKey)[], message: string): string {
  return `${jsonPathLabel(path)}: ${message}`;
}

function configError(problems: string[]): MockConfigError {
  const message = problems.length === 1 ? `Invalid mock config: ${problems[0]}` : `Invalid mock config:\n  ${problems.join('\n  ')}`;
  return new MockConfigError(message, problems);
}

