/** `pricesense redrive`: continue a failed, aborted or killed local execution (RedriveExecution semantics). */
import { resolveStateDir } from '../state-dir.js';
import { ExitCode } from '../usage-error.js';
import { onePositional, parseOptions } from '../parse-options.js';

export const summary = 'continue a failed, aborted or killed local execution from where it stopped';
export const usage = 'usage: pricesense redrive EXECUTION [--state-dir DIR]';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv, { 'state-dir': { type: 'string' } });
  const name = onePositional(parsed.positionals, 'local EXECUTION name');
  const stateDir = resolveStateDir(parsed.values['state-dir']);
  const { ExecutionStore } = await import('../../runtime/execution-store.js');
  new ExecutionStore(stateDir).read(name); // clear error naming known executions before the slow synthesis
  const { openLocalPipeline, redriveLocalExecution } = await import('../../runtime/local-pipeline.js');
  const pipeline = await openLocalPipeline({ stateDir, onWarning: (message) => console.error(`warning: ${message}`) });
  const result = await redriveLocalExecution(pipeline, name, {
    onEvent: (event) => {
      const entered = event.stateEnteredEventDetails?.name;
      if (entered) console.error(`  ${String(event.type).replace(/StateEntered$/, '')} ${entered}`);
    },
  });
  console.log(`${result.name}: ${result.status}${result.error ? ` ${result.error}: ${result.cause ?? ''}` : ''}`);
  return result.status === 'SUCCEEDED' ? ExitCode.Succeeded : ExitCode.Failed;
}
