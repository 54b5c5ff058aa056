/**
 * `pricesense watch`: starts one execution per new object in the local raw zone, with the
 * EventBridge S3 event as input, through the same trigger Lambda as on AWS — never two for the
 * same object (same bucket, key and ETag), even across restarts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { localObjectPath } from '../../aws/s3-location.js';
import { openLocalPipeline } from '../../pipeline-runner/local-pipeline.js';
import { RawZoneWatcher } from '../../pipeline-runner/raw-zone-watcher.js';
import { assertXgboostInstalled, MissingDependencyError } from '../../pipeline-runner/xgboost-check.js';
import { RAW_PREFIX } from '../../../workflow/s3-layout.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { noPositionals, parseOptions } from '../parse-options.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, commandConfig } from '../config-option.js';
import { writeJsonLine } from '../output.js';

export const summary = 'start one execution per new object in the local raw zone (the S3 trigger)';
export const usage = `usage: pricesense watch [--state-dir DIR] [--interval-ms MS] [--once] [--config FILE] [--deploy-target endpoint|eks|none] [--json]

  Drop CSV files into the folder it prints (the local raw bucket's raw/ prefix).
  --once            look once, run what it started, then exit (exit 1 if any execution failed)
  --interval-ms MS  how often to look (default 2000)
  --json            one JSON line per object seen and per execution ended (stdout)
  An object that any earlier execution ran on (including \`pricesense run --input\`) starts nothing.
${CONFIG_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
        'state-dir': { type: 'string' },
        'interval-ms': { type: 'string' },
        once: { type: 'boolean', default: false },
        ...CONFIG_OPTIONS,
        json: { type: 'boolean', default: false },
      });
  noPositionals(positionals);
  const interval = Number(values['interval-ms'] ?? 2000);
  if (!Number.isInteger(interval) || interval < 100) throw new UsageError(`--interval-ms must be a whole number of at least 100, got ${JSON.stringify(values['interval-ms'])}`);
  const config = commandConfig(values);
  const json = values.json ?? false;
  try {
    assertXgboostInstalled();
  } catch (error) {
    if (error instanceof MissingDependencyError) {
      console.error(error.message);
      return ExitCode.Failed;
    }
    throw error;
  }
  const stateDir = resolveStateDir(values['state-dir']);
  console.error(`Synthesizing the CDK app and opening the local backend (state: ${stateDir})…`);
  const pipeline = await openLocalPipeline({ stateDir, config });
  const watcher = new RawZoneWatcher(pipeline, {
    onExecutionEvent: (name, event) => {
      if (String(event.type) === 'ExecutionStarted') console.error(`${name}: started`);
    },
    onExecutionDone: (result) => {
      if (json) writeJsonLine({ execution: result.name, status: result.status, ...(result.error ? { error: result.error } : {}) });
      console.error(`${result.name}: ${result.status}${result.error ? ` (${result.error})` : ''}`);
    },
  });
  console.error(`Watching ${localObjectPath(stateDir, pipeline.rawBucket, RAW_PREFIX)} (s3://${pipeline.rawBucket}/${RAW_PREFIX})`);

  const report = (outcomes: Awaited<ReturnType<RawZoneWatcher['scanOnce']>>) => {
    for (const outcome of outcomes) {
      if (json) writeJsonLine(outcome);
      console.error(`${outcome.key}: ${outcome.status}${outcome.executionName ? ` ${outcome.executionName}` : ''}${outcome.reason ? ` — ${outcome.reason}` : ''}`);
    }
  };
  if (values.once) {
    const outcomes = await watcher.scanOnce();
    report(outcomes);
    const results = await watcher.idle();
    const allWell = outcomes.every((outcome) => outcome.status !== 'failed') && results.every((result) => result.status === 'SUCCEEDED');
    return allWell ? ExitCode.Succeeded : ExitCode.Failed;
  }
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  while (!stop.signal.aborted) {
    // One bad look at the folder must not stop the watcher or the executions it started.
    report(await watcher.scanOnce().catch((error: Error) => [{ key: '(raw zone)', status: 'failed' as const, reason: error.message }]));
    await sleep(interval, undefined, { signal: stop.signal }).catch(() => undefined);
  }
  console.error('Stopping: waiting for running executions to end');
  await watcher.idle();
  return ExitCode.Succeeded;
}
