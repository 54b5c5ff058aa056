/** `pricesense conformance`: run AWS-recorded executions in-process and compare with AWS's results. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCorpus, runCorpus } from '../../asl/conformance/run-corpus.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { parseOptions } from '../parse-options.js';

export const DEFAULT_CORPUS = '../shared/conformance/aws-recorded-asl.json';

export const summary = 'run AWS-recorded Step Functions executions in the local engine and compare with AWS';
export const usage = [
  'usage: pricesense conformance [CORPUS] [--filter REGEX] [--json]',
  '',
  `  CORPUS          JSON list of recorded cases (default: $PRICESENSE_CONFORMANCE_CORPUS, else ${DEFAULT_CORPUS})`,
  '  --filter REGEX  run only the cases whose id matches',
  '  --json          print one JSON object {total, matched, byCategory, mismatches, seconds}',
  '',
  'Same normalisation and comparison as shared/conformance/run-aws-recorded.py, in one process.',
  'exit status: 0 every case matches AWS, 1 a mismatch (or no case), 2 usage error or unreadable corpus',
].join('\n');

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    filter: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 1) throw new UsageError(`expected at most one CORPUS file, got ${positionals.length}`);
  const path = resolve(positionals[0] ?? process.env.PRICESENSE_CONFORMANCE_CORPUS ?? DEFAULT_CORPUS);
  if (!existsSync(path)) throw new UsageError(`the corpus ${JSON.stringify(path)} does not exist`);
  let filter: RegExp | undefined;
  if (values.filter !== undefined) {
    try {
      filter = new RegExp(values.filter);
    } catch (error) {
      throw new UsageError(`--filter is not a regular expression: ${(error as Error).message}`);
    }
  }
  let cases;
  try {
    cases = readCorpus(path);
  } catch (error) {
    throw new UsageError(`cannot read the corpus ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  const report = await runCorpus(cases, filter ? { filter } : {});
  if (values.json) {
    console.log(JSON.stringify(report));
  } else {
    for (const mismatch of report.mismatches) console.log(`FAIL ${mismatch.id} [${mismatch.category}]: ${mismatch.problem}`);
    for (const [category, { matched, total }] of Object.entries(report.byCategory)) console.log(`  ${category}: ${matched}/${total}`);
    console.log(`aws-recorded: ${report.matched}/${report.total} cases match AWS (in-process, ${report.seconds.toFixed(1)} s)`);
  }
  return report.total > 0 && report.matched === report.total ? ExitCode.Succeeded : ExitCode.Failed;
}
