/** `pricesense inspect`: one self-contained HTML page with the graph, outcomes and timeline of an execution. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspectorHtml } from '../../inspector/index.js';
import { readDefinitionFile } from '../../execution-history/history-file.js';
import { loadExecutionSource } from '../../execution-history/execution-source.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode } from '../usage-error.js';
import { onePositional, parseOptions } from '../parse-options.js';

export const summary = 'write an HTML page showing an execution on its state machine graph';
export const usage = 'usage: pricesense inspect RECORDING|FOLDER|EXECUTION [--out FILE.html] [--definition FILE] [--state-dir DIR] [--json]';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv, { out: { type: 'string' }, definition: { type: 'string' }, 'state-dir': { type: 'string' }, json: { type: 'boolean', default: false } });
  const reference = onePositional(parsed.positionals, 'EXECUTION name or HISTORY.json');
  const recording = loadExecutionSource(reference, resolveStateDir(parsed.values['state-dir']));
  let definition = parsed.values.definition !== undefined ? readDefinitionFile(parsed.values.definition) : recording.definition;
  if (definition === undefined) {
    // A bare history without its definition: show it on the pipeline's (default configuration).
    const { loadPipelineDefinition } = await import('../../backend/pipeline-definition.js');
    definition = (await loadPipelineDefinition()).definition;
  }
  const name = typeof recording.execution?.name === 'string' ? recording.execution.name : reference.replace(/^.*\//, '');
  const out = resolve(parsed.values.out ?? `${name.replace(/\.json$/, '')}.html`);
  writeFileSync(out, inspectorHtml({ definition, events: recording.events as never, executionName: name, ...(recording.mapRuns ? { mapRuns: recording.mapRuns } : {}), ...(recording.execution ? { execution: recording.execution } : {}) }));
  if (parsed.values.json) console.log(JSON.stringify({ out, execution: name, events: recording.events.length }));
  else console.log(`Wrote ${out}`);
  return ExitCode.Succeeded;
}
