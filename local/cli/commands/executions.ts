/** `pricesense executions`: the local runs in a state directory, newest first. */
import { ExecutionStore } from '../../execution-history/execution-store.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode } from '../usage-error.js';
import { noPositionals, parseOptions } from '../parse-options.js';

export const summary = 'list local executions (newest first)';
export const usage = 'usage: pricesense executions [--state-dir DIR] [--json]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { 'state-dir': { type: 'string' }, json: { type: 'boolean', default: false } });
  noPositionals(positionals);
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
