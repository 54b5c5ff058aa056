/** `pricesense mock-config`: a recording as a Step Functions Local MockConfigFile test case. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadExecutionSource } from '../../execution-history/execution-source.js';
import { mockConfigFromRecording, stateMachineNameOf } from '../../replay/mock-config.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { onePositional, parseOptions } from '../parse-options.js';

export const summary = 'write a Step Functions Local MockConfigFile that replays a recording (production failure → test)';
export const usage = `usage: pricesense mock-config RECORDING|FOLDER|EXECUTION --test-case NAME [--state-machine NAME] [--out FILE] [--json] [--state-dir DIR]

  Every Task invocation of the recording (retries and Map iterations counted) becomes a mocked
  Return or Throw. Run it with:
    pricesense exec --definition DEF --input JSON --mock-config FILE --test-case NAME
  or with Step Functions Local (SFN_MOCK_CONFIG=FILE, state machine ARN ending :NAME#TEST_CASE).
  --state-machine NAME   key under StateMachines (default: the recording's state machine name)
  --out FILE             where to write it (default: stdout)`;

const TEST_CASE = /^[A-Za-z0-9_-]{1,80}$/;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv, {
    'test-case': { type: 'string' },
    'state-machine': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
    'state-dir': { type: 'string' },
  });
  const reference = onePositional(parsed.positionals, 'recording file, execution folder or local execution name');
  const testCase = parsed.values['test-case'];
  if (testCase === undefined) throw new UsageError('--test-case NAME is required (the name the test case gets in the file)');
  if (!TEST_CASE.test(testCase)) throw new UsageError(`--test-case must be 1-80 characters of A-Z a-z 0-9 - _, got ${JSON.stringify(testCase)}`);
  const recording = loadExecutionSource(reference, resolveStateDir(parsed.values['state-dir']));
  const stateMachine = parsed.values['state-machine'] ?? stateMachineNameOf(recording);
  if (stateMachine === undefined) throw new UsageError('the recording names no state machine: pass --state-machine NAME');
  const config = mockConfigFromRecording(recording, { testCase, stateMachine });
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (parsed.values.out !== undefined) {
    const out = resolve(parsed.values.out);
    writeFileSync(out, text);
    const states = Object.keys(config.MockedResponses).length;
    if (parsed.values.json) console.log(JSON.stringify({ out, stateMachine, testCase, mockedStates: states }));
    else console.error(`Wrote ${out}: test case ${testCase} of ${stateMachine}, ${states} Task states mocked`);
  } else {
    process.stdout.write(parsed.values.json ? `${JSON.stringify(config)}\n` : text);
  }
  return ExitCode.Succeeded;
}
