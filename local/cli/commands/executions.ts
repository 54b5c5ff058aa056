/** `pricesense executions`: the local runs in a state directory, newest first. */
import { parseArgs } from 'node:util';
import { ExecutionStore } from '../../runtime/execution-store.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode, UsageError } from '../usage-error.js';

export const summary = 'list local executions (newest first)';
export const usage = 'usage: pricesense executions [--state-dir DIR] [--json]';

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { 'state-dir': { type: 'string' }, json: { type: 'boolean', default: false } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const executions = new ExecutionStore(resolveStateDir(values['state-dir'])).list();
  if (values.json) {
    console.log(JSON.stringify({ executions }));
    return ExitCode.Succeeded;
  }
  if (executions.length === 0) {
    console.log('No local executions yet. Start one with `npm run pipeline`.');
    return ExitCode.Succeeded;
  }
  for (const execution of executions) {
    const seconds = execution.stopDate ? ((Date.parse(execution.stopDate) - Date.parse(execution.startDate)) / 1000).toFixed(1) + ' s' : '';
    const failure = execution.error ? `  ${execution.error}` : '';
    console.log(`${execution.startDate}  ${execution.status.padEnd(9)} ${seconds.padStart(8)}  ${execution.name}${failure}`);
  }
  return ExitCode.Succeeded;
}
