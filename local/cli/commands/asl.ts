/**
 * `pricesense asl`: the state machine definition exactly as the local runner executes it — taken
 * from the synthesized CloudFormation template, tokens resolved to local names and ARNs.
 */
import { writeFile } from 'node:fs/promises';
import { loadPipelineDefinition } from '../../backend/pipeline-definition.js';
import { ExitCode } from '../usage-error.js';
import { noPositionals, parseOptions } from '../parse-options.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, commandConfig } from '../config-option.js';

export const summary = 'print the state machine ASL synthesized from the CDK app (local names)';
export const usage = `usage: pricesense asl [--config FILE] [--deploy-target endpoint|eks|none] [--out FILE] [--json]

${CONFIG_USAGE}
  --out FILE              write the ASL to FILE
  --json                  the ASL as one JSON line`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { ...CONFIG_OPTIONS, out: { type: 'string' }, json: { type: 'boolean', default: false } });
  noPositionals(positionals);
  const { definition } = await loadPipelineDefinition(commandConfig(values));
  const text = values.json ? `${JSON.stringify(definition)}\n` : `${JSON.stringify(definition, null, 2)}\n`;
  if (values.out) {
    await writeFile(values.out, text);
    console.error(`Wrote ${values.out}`);
  } else {
    process.stdout.write(text);
  }
  return ExitCode.Succeeded;
}
