/** `pricesense redrive`: continue a failed, aborted or killed local execution (RedriveExecution semantics). */
import { resolveStateDir } from '../state-dir.js';
import { ExitCode } from '../usage-error.js';
import { onePositional, parseOptions } from '../parse-options.js';
import { writeJsonLine } from '../output.js';

export const summary = 'continue a failed, aborted or killed local execution from where it stopped';
export const usage = `usage: pricesense redrive EXECUTION [--state-dir DIR] [--json]

  Runs on the definition the execution ran (kept in its recording). Ctrl-C aborts the redrive;
  it can be redriven again.
  --json  one JSON object {execution, status, error?, cause?, redriveCount} on stdout`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv, { 'state-dir': { type: 'string' }, json: { type: 'boolean', default: false } });
  const name = onePositional(parsed.positionals, 'local EXECUTION name');
  const stateDir = resolveStateDir(parsed.values['state-dir']);
  const { ExecutionStore } = await import('../../execution-history/execution-store.js');
  new ExecutionStore(stateDir).read(name); // clear error naming known executions before the slow synthesis
  console.error(`Synthesizing the CDK app and opening the local backend (state: ${stateDir})…`);
  const { openLocalPipeline, redriveLocalExecution } = await import('../../pipeline-runner/local-pipeline.js');
  const { abortOnSignals, stopRunningJobs } = await import('../../pipeline-runner/run-lifecycle.js');
  const pipeline = await openLocalPipeline({ stateDir, onWarning: (message) => console.error(`warning: ${message}`) });
  const stop = abortOnSignals((signal) => console.error(`\n${signal}: stopping execution ${name} (ExecutionAborted) and its running jobs…`));
  let result;
  try {
    result = await redriveLocalExecution(pipeline, name, {
      signal: stop.signal,
      onEvent: (event) => {
        const entered = event.stateEnteredEventDetails?.name;
        if (entered) console.error(`  ${String(event.type).replace(/StateEntered$/, '')} ${entered}`);
      },
    });
  } finally {
    stop.dispose();
  }
  if (result.status === 'ABORTED') for (const job of await stopRunningJobs(pipeline.localAws)) console.error(`  stopped ${job}`);
  if (parsed.values.json) {
    writeJsonLine({ execution: result.name, status: result.status, ...(result.error ? { error: result.error } : {}), ...(result.cause ? { cause: result.cause } : {}), redriveCount: new ExecutionStore(stateDir).read(name).redriveCount });
  } else {
    console.log(`${result.name}: ${result.status}${result.error ? ` ${result.error}: ${result.cause ?? ''}` : ''}`);
    if (result.status !== 'SUCCEEDED') console.error(`  continue with  pricesense redrive ${result.name}`);
  }
  return result.status === 'SUCCEEDED' ? ExitCode.Succeeded : ExitCode.Failed;
}
