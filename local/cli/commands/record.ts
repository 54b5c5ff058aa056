/** `pricesense record`: download an execution's history from AWS Step Functions into one JSON file. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { recordExecution } from '../../replay/record-execution.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { onePositional, parseOptions } from '../parse-options.js';

export const summary = 'download an execution history from AWS (for replay and inspect)';
export const usage = 'usage: pricesense record EXECUTION_ARN [--out FILE] [--json]';

const EXECUTION_ARN = /^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:[\w.-]+:[^:\s]+$/;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv, { out: { type: 'string' }, json: { type: 'boolean', default: false } });
  const arn = onePositional(parsed.positionals, 'EXECUTION_ARN');
  if (!EXECUTION_ARN.test(arn)) {
    throw new UsageError(`${JSON.stringify(arn)} is not an execution ARN; expected arn:aws:states:<region>:<account>:execution:<state machine>:<name>`);
  }
  const region = arn.split(':')[3]!;
  const recording = await recordExecution(new SFNClient({ region }), arn);
  const out = resolve(parsed.values.out ?? `${arn.split(':').at(-1)}.history.json`);
  writeFileSync(out, `${JSON.stringify(recording, null, 1)}\n`);
  if (parsed.values.json) console.log(JSON.stringify({ out, events: recording.events.length, definition: recording.definition !== undefined, mapRuns: recording.mapRuns?.length ?? 0 }));
  else console.log(`Wrote ${recording.events.length} events to ${out}${recording.definition === undefined ? ' (no definition: DescribeStateMachine was not allowed)' : ''}`);
  return ExitCode.Succeeded;
}
