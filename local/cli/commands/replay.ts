/** `pricesense replay`: re-run a recorded execution offline and report where it diverges. */
import { jsonEquals } from '../../asl/intrinsics/json-equality.js';
import { DeployTarget, type DeepPartial, type PipelineConfig } from '../../../workflow/config.js';
import { formatReplayReport, replayExecution } from '../../replay/index.js';
import { readDefinitionFile } from '../../execution-history/history-file.js';
import { loadExecutionSource } from '../../execution-history/execution-source.js';
import { loadPipelineDefinition } from '../../backend/pipeline-definition.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, commandConfig } from '../config-option.js';
import { writeJsonLine } from '../output.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode } from '../usage-error.js';
import { onePositional, parseOptions } from '../parse-options.js';

export const summary = 'replay a recorded execution against the current definition (exit 0 identical, 1 divergent)';
export const usage = `usage: pricesense replay RECORDING|FOLDER|EXECUTION [--definition FILE | --config FILE --deploy-target T] [--all] [--json] [--state-dir DIR]

  RECORDING               a recording file (pricesense record, or a local run's recording.json),
                          an execution folder, or the name of a local execution
  --definition FILE       replay against this ASL instead of the synthesized app
${CONFIG_USAGE}
                          (default: cdk.json's, or the deploy target the recording's definition matches)
  --all                   list every divergence (default: the first 5 and a count)
  --json                  the report as one JSON object`;

async function synthesizedDefinition(config: DeepPartial<PipelineConfig>): Promise<Record<string, unknown>> {
  return (await loadPipelineDefinition(config)).definition;
}

/**
 * The current definition for the configuration; when the recording ran another deploy target
 * (its definition equals that target's and not the configured one), that target's.
 */
async function currentDefinition(values: Parameters<typeof commandConfig>[0], recorded: unknown, log: (line: string) => void): Promise<unknown> {
  const config = commandConfig(values);
  const definition = await synthesizedDefinition(config);
  if (values['deploy-target'] !== undefined || recorded === undefined || jsonEquals(recorded, definition)) return definition;
  for (const target of Object.values(DeployTarget)) {
    if (target === (config.deployTarget ?? DeployTarget.Endpoint)) continue;
    const other = await synthesizedDefinition({ ...config, deployTarget: target });
    if (jsonEquals(recorded, other)) {
      log(`The recording ran with deploy target ${target}: replaying against that configuration (--deploy-target to choose)`);
      return other;
    }
  }
  return definition;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv, {
    definition: { type: 'string' },
    ...CONFIG_OPTIONS,
    all: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'state-dir': { type: 'string' },
  });
  const reference = onePositional(parsed.positionals, 'recording file, execution folder or local execution name');
  const recording = loadExecutionSource(reference, resolveStateDir(parsed.values['state-dir']));
  let definition: unknown;
  if (parsed.values.definition !== undefined) definition = readDefinitionFile(parsed.values.definition);
  else {
    if (!parsed.values.json) process.stderr.write('Synthesizing the CDK app (cached when unchanged)…\n');
    definition = await currentDefinition(parsed.values, recording.definition, (line) => process.stderr.write(`${line}\n`));
  }
  const report = await replayExecution({ recording, definition });
  if (parsed.values.json) {
    const { history: _history, ...rest } = report;
    writeJsonLine(rest);
  } else {
    console.log(formatReplayReport(report, { all: parsed.values.all ?? false }));
  }
  return report.identical ? ExitCode.Succeeded : ExitCode.Failed;
}
