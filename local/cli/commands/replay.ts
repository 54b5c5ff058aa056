/** `pricesense replay`: re-run a recorded execution offline and report where it diverges. */
import { formatReplayReport, replayExecution } from '../../replay/index.js';
import { readDefinitionFile } from '../../replay/history-file.js';
import { loadExecutionSource } from '../../replay/execution-source.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode } from '../usage-error.js';
import { onePositional, parseOptions } from '../parse-options.js';

export const summary = 'replay a recorded execution against the current definition (exit 0 identical, 1 divergent)';
export const usage = 'usage: pricesense replay HISTORY.json|EXECUTION [--definition FILE] [--json] [--state-dir DIR]';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv, { definition: { type: 'string' }, json: { type: 'boolean', default: false }, 'state-dir': { type: 'string' } });
  const reference = onePositional(parsed.positionals, 'HISTORY.json or local EXECUTION name');
  const recording = loadExecutionSource(reference, resolveStateDir(parsed.values['state-dir']));
  let definition: unknown;
  if (parsed.values.definition !== undefined) definition = readDefinitionFile(parsed.values.definition);
  else {
    const { synthesizedPipelineDefinition } = await import('../../replay/app-definition.js');
    definition = synthesizedPipelineDefinition();
  }
  const report = await replayExecution({ recording, definition });
  if (parsed.values.json) {
    const { history: _history, ...rest } = report;
    console.log(JSON.stringify(rest, null, 2));
  } else {
    console.log(formatReplayReport(report));
  }
  return report.identical ? ExitCode.Succeeded : ExitCode.Failed;
}
