/** `pricesense exec`: run any state machine definition in the local ASL engine. */
import { readFileSync } from 'node:fs';
import {
  DefinitionError,
  runExecution,
  scaledClock,
  systemClock,
  type HistoryEvent,
  type TaskRegistry,
} from '../../asl/index.js';
import { ExecutionInputTooLargeError } from '../../asl/limits.js';
import { loadMockConfig, MockConfigError, mockTaskRegistry } from '../../asl/mock-config/index.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { noPositionals, parseOptions } from '../parse-options.js';

export const summary = 'run a state machine definition locally (optionally with a Step Functions Local mock config)';
export const usage = [
  'usage: pricesense exec --definition FILE [--input JSON | --input @FILE]',
  '                       [--mock-config FILE --test-case NAME [--state-machine NAME]]',
  '                       [--speed-up N] [--json]',
  '',
  '  --definition FILE    ASL JSON of the state machine',
  '  --input JSON|@FILE   execution input (default {})',
  '  --mock-config FILE   Step Functions Local MockConfigFile answering the Task states',
  '  --test-case NAME     test case of the mock config (required with --mock-config)',
  '  --state-machine NAME state machine of the mock config (default: the only one)',
  '  --speed-up N         divide Wait and retry delays by N (default 1: real time)',
  '  --json               print one JSON object {status, output, error, cause, path, history} on the last line',
  '',
  'exit status: 0 succeeded, 1 failed/timed out/aborted, 2 invalid definition, input over 256 KiB, or usage',
].join('\n');

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON (${(error as Error).message}); expected e.g. '{"bucket": "b", "key": "raw/x.csv"}'`);
  }
}

function readInput(value: string | undefined): unknown {
  if (value === undefined) return {};
  if (value.startsWith('@')) return parseJson(readText(value.slice(1), '--input file'), `--input file ${JSON.stringify(value.slice(1))}`);
  return parseJson(value, '--input');
}

function mockRegistry(file: string | undefined, testCase: string | undefined, stateMachine: string | undefined): TaskRegistry {
  if (file === undefined) {
    if (testCase !== undefined || stateMachine !== undefined) throw new UsageError('--test-case and --state-machine need --mock-config FILE');
    return { handlerFor: () => undefined };
  }
  if (testCase === undefined) throw new UsageError('--mock-config needs --test-case NAME (the test case to run)');
  const config = loadMockConfig(parseJson(readText(file, '--mock-config file'), `--mock-config file ${JSON.stringify(file)}`));
  return mockTaskRegistry(config, { testCase, ...(stateMachine !== undefined ? { stateMachineName: stateMachine } : {}) });
}

/** One readable line per interesting event, for the live trace. */
function traceLine(event: HistoryEvent): string | undefined {
  const entered = event.stateEnteredEventDetails;
  if (entered) return `→ ${entered.name} (${event.type.replace('StateEntered', '')})`;
  const exited = event.stateExitedEventDetails;
  if (exited) return `✓ ${exited.name}${exited.assignedVariables ? `  assigned ${Object.keys(exited.assignedVariables).join(', ')}` : ''}`;
  const failure = event.taskFailedEventDetails ?? event.lambdaFunctionFailedEventDetails ?? event.taskTimedOutEventDetails ?? event.lambdaFunctionTimedOutEventDetails;
  if (failure) return `  ✗ ${event.type}: ${failure.error ?? ''}${failure.cause ? ` — ${failure.cause}` : ''}`;
  if (event.type === 'MapIterationFailed') return `  ✗ Map iteration ${event.mapIterationFailedEventDetails?.index ?? '?'} failed`;
  return undefined;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
        definition: { type: 'string' },
        input: { type: 'string' },
        'mock-config': { type: 'string' },
        'test-case': { type: 'string' },
        'state-machine': { type: 'string' },
        'speed-up': { type: 'string' },
        json: { type: 'boolean', default: false },
      });
  noPositionals(positionals);
  if (values.definition === undefined) throw new UsageError('--definition FILE is required');
  const definitionText = readText(values.definition, '--definition file');
  const input = readInput(values.input);
  let clock = systemClock;
  if (values['speed-up'] !== undefined) {
    const speedUp = Number(values['speed-up']);
    if (!Number.isFinite(speedUp) || speedUp <= 0) throw new UsageError(`--speed-up must be a positive number, got ${JSON.stringify(values['speed-up'])}`);
    clock = scaledClock(speedUp);
  }
  let tasks: TaskRegistry;
  try {
    tasks = mockRegistry(values['mock-config'], values['test-case'], values['state-machine']);
  } catch (error) {
    if (error instanceof MockConfigError) throw new UsageError(`invalid mock config: ${error.message}`);
    throw error;
  }

  const json = values.json;
  let result;
  try {
    result = await runExecution({
      definition: definitionText,
      input,
      tasks,
      clock,
      ...(json ? {} : { onEvent: (event: HistoryEvent) => { const line = traceLine(event); if (line) console.log(line); } }),
    });
  } catch (error) {
    if (error instanceof ExecutionInputTooLargeError) {
      // StartExecution itself refuses it on AWS: no execution exists, so no status either.
      console.error(`pricesense exec: ${error.name}: ${error.message}`);
      if (json) console.log(JSON.stringify({ status: 'INVALID_INPUT', error: error.name, cause: error.message }));
      return ExitCode.Usage;
    }
    if (error instanceof DefinitionError) {
      console.error(`pricesense exec: invalid definition ${JSON.stringify(values.definition)}: ${error.message}`);
      if (json) console.log(JSON.stringify({ status: 'INVALID_DEFINITION', error: 'DefinitionError', cause: error.message, statePath: error.statePath, field: error.field }));
      return ExitCode.Usage;
    }
    throw error;
  }
  if (json) {
    const { status, output, error, cause, path, history } = result;
    console.log(JSON.stringify({ status, output, error, cause, path, history }));
  } else {
    console.log(`\n${result.status} in ${((result.stopDate.getTime() - result.startDate.getTime()) / 1000).toFixed(2)} s (${result.path.length} states entered)`);
    if (result.status === 'SUCCEEDED') console.log(`output: ${JSON.stringify(result.output, null, 2)}`);
    else console.log(`error: ${result.error ?? '(none)'}\ncause: ${result.cause ?? '(none)'}`);
  }
  return result.status === 'SUCCEEDED' ? ExitCode.Succeeded : ExitCode.Failed;
}
