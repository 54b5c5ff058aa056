/**
 * `pricesense test-state`: AWS's TestState API, offline. Runs one state of a definition file with
 * a given input (a Task against a mocked result or error) and prints status, output, error, cause,
 * nextState and, with `--inspection-level DEBUG`, each data-flow step.
 */
import { readFile } from 'node:fs/promises';
import { DefinitionError } from '../../asl/errors/definition-error.js';
import {
  testState,
  TestStateValidationError,
  UnknownStateError,
  type InspectionLevel,
  type TestStateMock,
  type TestStateResponse,
} from '../../asl/test-state.js';
import { noPositionals, parseOptions } from '../parse-options.js';
import { ExitCode, UsageError } from '../usage-error.js';

export const summary = 'run one state like the TestState API, offline (Task states against --mock)';
export const usage = `usage: pricesense test-state --definition FILE --state NAME --input JSON|@FILE
                             [--mock JSON|@FILE] [--variables JSON|@FILE]
                             [--inspection-level INFO|DEBUG] [--json]

  --definition FILE       the state machine ASL (e.g. from \`pricesense asl --out FILE\`), or one state
  --state NAME            the state to run
  --input JSON|@FILE      the state's input
  --mock JSON|@FILE       a Task's answer: {"result": <JSON value or JSON text>} or
                          {"errorOutput": {"error": "...", "cause": "..."}}
  --variables JSON|@FILE  workflow variables visible to the state (an object)
  --inspection-level L    INFO (default) or DEBUG: input, afterInputPath, afterParameters or
                          afterArguments, result, afterResultSelector, afterResultPath, variables
  --json                  the TestState response as AWS returns it (JSON values as JSON text)

Exit code: 0 when the state succeeded or its error was caught, 1 when it failed or is retriable,
2 for a usage error (an unknown state names the states that exist).`;

async function jsonArgument(value: string | undefined, option: string): Promise<string | undefined> {
  if (value === undefined) return undefined;
  let textValue = value;
  if (value.startsWith('@')) {
    try {
      textValue = await readFile(value.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`${option}: cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  try {
    JSON.parse(textValue);
  } catch (error) {
    throw new UsageError(`${option} is not valid JSON: ${(error as Error).message}`);
  }
  return textValue;
}

/** `--mock`: AWS's MockInput; `result` may be given as a JSON value for convenience. */
function mockFrom(textValue: string | undefined): TestStateMock | undefined {
  if (textValue === undefined) return undefined;
  const parsed = JSON.parse(textValue) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--mock must be an object with "result" or "errorOutput"');
  const { result, errorOutput } = parsed as { result?: unknown; errorOutput?: { error?: unknown; cause?: unknown } };
  if (errorOutput !== undefined) {
    if (typeof errorOutput !== 'object' || errorOutput === null || typeof errorOutput.error !== 'string') {
      throw new UsageError('--mock errorOutput needs an "error" string (and optionally a "cause" string)');
    }
    return { errorOutput: { error: errorOutput.error, ...(typeof errorOutput.cause === 'string' ? { cause: errorOutput.cause } : {}) } };
  }
  if (result === undefined) throw new UsageError('--mock must have "result" or "errorOutput"');
  return { result: typeof result === 'string' ? result : JSON.stringify(result) };
}

function pretty(jsonTextValue: string): string {
  return JSON.stringify(JSON.parse(jsonTextValue), null, 2).replace(/\n/g, '\n    ');
}

function humanReport(response: TestStateResponse): string {
  const lines = [`status: ${response.status}`];
  if (response.nextState !== undefined) lines.push(`nextState: ${response.nextState}`);
  if (response.error !== undefined) lines.push(`error: ${response.error}`);
  if (response.cause !== undefined) lines.push(`cause: ${response.cause}`);
  if (response.output !== undefined) lines.push(`output:\n    ${pretty(response.output)}`);
  if (response.inspectionData) {
    lines.push('inspectionData:');
    for (const [step, value] of Object.entries(response.inspectionData)) {
      if (value !== undefined) lines.push(`  ${step}:\n    ${pretty(value)}`);
    }
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    definition: { type: 'string' },
    state: { type: 'string' },
    input: { type: 'string' },
    mock: { type: 'string' },
    variables: { type: 'string' },
    'inspection-level': { type: 'string', default: 'INFO' },
    json: { type: 'boolean', default: false },
  });
  noPositionals(positionals);
  if (values.definition === undefined) throw new UsageError('--definition FILE is required');
  if (values.state === undefined) throw new UsageError('--state NAME is required');
  if (values.input === undefined) throw new UsageError('--input JSON|@FILE is required');
  const level = values['inspection-level'];
  if (level !== 'INFO' && level !== 'DEBUG') throw new UsageError(`--inspection-level must be INFO or DEBUG, got ${JSON.stringify(level)}`);
  let definition: string;
  try {
    definition = await readFile(values.definition, 'utf8');
  } catch (error) {
    throw new UsageError(`--definition: cannot read ${values.definition}: ${(error as Error).message}`);
  }
  const input = await jsonArgument(values.input, '--input');
  const mock = mockFrom(await jsonArgument(values.mock, '--mock'));
  const variables = await jsonArgument(values.variables, '--variables');

  let response: TestStateResponse;
  try {
    response = await testState({
      definition,
      stateName: values.state,
      ...(input !== undefined ? { input } : {}),
      ...(mock ? { mock } : {}),
      ...(variables !== undefined ? { variables } : {}),
      inspectionLevel: level as InspectionLevel,
    });
  } catch (error) {
    if (error instanceof UnknownStateError || error instanceof TestStateValidationError) throw new UsageError(error.message);
    if (error instanceof DefinitionError) throw new UsageError(`--definition ${values.definition}: ${error.message}`);
    throw error;
  }
  process.stdout.write(values.json ? `${JSON.stringify(response)}\n` : `${humanReport(response)}\n`);
  return response.status === 'SUCCEEDED' || response.status === 'CAUGHT_ERROR' ? ExitCode.Succeeded : ExitCode.Failed;
}
