/**
 * `pricesense asl`: the state machine definition exactly as the local runner executes it — taken
 * from the synthesized CloudFormation template, tokens resolved to local names and ARNs.
 */
import { writeFile } from 'node:fs/promises';
import { localConfig } from '../../runtime/local-pipeline.js';
import { cachedSynthesis } from '../../runtime/synthesis-cache.js';
import { localResourceNames, resolveDefinition } from '../../template/index.js';
import { ExitCode } from '../usage-error.js';
import { deployTargetOption, noPositionals, parseOptions } from '../parse-options.js';

export const summary = 'print the state machine ASL synthesized from the CDK app (local names)';
export const usage = 'usage: pricesense asl [--deploy-target endpoint|eks|none] [--out FILE]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { 'deploy-target': { type: 'string' }, out: { type: 'string' } });
  noPositionals(positionals);
  const target = deployTargetOption(values['deploy-target']);
  const synthesized = await cachedSynthesis(localConfig(target ? { deployTarget: target } : {}));
  const template = synthesized.templates[synthesized.stackName];
  if (!template) throw new Error(`Synthesis produced no template for stack ${synthesized.stackName}`);
  const definition = resolveDefinition(template, synthesized.stateMachineLogicalId, localResourceNames(template));
  const text = `${JSON.stringify(definition, null, 2)}\n`;
  if (values.out) {
    await writeFile(values.out, text);
    console.error(`Wrote ${values.out}`);
  } else {
    process.stdout.write(text);
  }
  return ExitCode.Succeeded;
}
