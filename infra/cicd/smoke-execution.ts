/**
 * The CI smoke execution (`.github/workflows/ci-cd.yml`, job `deploy`): puts a small generated
 * sample under `raw/ci-smoke/` of the deployed raw bucket, which starts one execution through the
 * real S3 → EventBridge trigger, derives that execution's name exactly as the trigger does, and
 * waits for it to end with the expected outcome.
 *
 * The sample is valid (ValidateInput, both Glue jobs and the Athena data-quality query run with
 * the deployed roles) but holds fewer labelled baskets than `dataQuality.minBaskets`, so the run
 * ends at `DataQualityFailed` before the feature store, training, registry or rollout: a smoke
 * test must not put a model trained on synthetic data in front of production traffic.
 *
 *   npx tsx infra/cicd/smoke-execution.ts --bucket B --state-machine-arn ARN --file sample.csv --commit SHA --attempt N
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { executionNameForObject } from '../../tasks/core/start-execution/execution-name.js';
import { ErrorName } from '../../workflow/names.js';
import { SMOKE_PREFIX } from './ci-smoke-role.js';

/** The terminal outcome a smoke sample below the data-quality minimum must reach. */
export const EXPECTED_SMOKE_OUTCOME = { status: 'FAILED', error: ErrorName.DataQualityFailed } as const;

export interface SmokeOptions {
  bucket: string;
  stateMachineArn: string;
  body: Uint8Array | string;
  commit: string;
  attempt: string;
  /** Seconds between DescribeExecution polls. @default 15 */
  pollSeconds?: number;
  /** Polls before giving up (the trigger may take a minute; Glue runs take minutes). @default 160 (40 min) */
  maxPolls?: number;
}

export interface SmokeDependencies {
  s3: Pick<S3Client, 'send'>;
  sfn: Pick<SFNClient, 'send'>;
  sleep: (seconds: number) => Promise<void>;
  log: (line: string) => void;
}

export interface SmokeResult {
  executionArn: string;
  status: string;
  error?: string;
  cause?: string;
  passed: boolean;
}

/** `raw/ci-smoke/<short commit>-<attempt>.csv`: unique per commit and re-run, so each attempt starts a fresh execution. */
export function smokeKey(commit: string, attempt: string): string {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) throw new Error(`--commit must be a git commit SHA (7-40 hex digits), got ${JSON.stringify(commit)}`);
  if (!/^\d{1,4}$/.test(attempt)) throw new Error(`--attempt must be the workflow run attempt (a whole number), got ${JSON.stringify(attempt)}`);
  return `${SMOKE_PREFIX}${commit.slice(0, 12)}-${attempt}.csv`;
}

/** Execution ARN of the run the trigger starts for this object (same derivation as tasks/start-execution). */
export function smokeExecutionArn(stateMachineArn: string, bucket: string, key: string, etag: string): string {
  const match = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]+)$/.exec(stateMachineArn);
  if (!match) throw new Error(`--state-machine-arn must be a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>), got ${JSON.stringify(stateMachineArn)}`);
  const [, partition, region, account, name] = match;
  // S3 returns the ETag quoted; the EventBridge event the trigger reads carries it bare.
  return `arn:${partition}:states:${region}:${account}:execution:${name}:${executionNameForObject(bucket, key, etag.replace(/"/g, ''))}`;
}

export function judgeSmokeOutcome(status: string, error: string | undefined): boolean {
  return status === EXPECTED_SMOKE_OUTCOME.status && error === EXPECTED_SMOKE_OUTCOME.error;
}

export async function runSmoke(options: SmokeOptions, deps: SmokeDependencies): Promise<SmokeResult> {
  const key = smokeKey(options.commit, options.attempt);
  const put = await deps.s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: options.body, ContentType: 'text/csv' }));
  if (!put.ETag) throw new Error(`PutObject s3://${options.bucket}/${key} returned no ETag`);
  const executionArn = smokeExecutionArn(options.stateMachineArn, options.bucket, key, put.ETag);
  deps.log(`uploaded s3://${options.bucket}/${key}; waiting for ${executionArn}`);
  const pollSeconds = options.pollSeconds ?? 15;
  const maxPolls = options.maxPolls ?? 160;
  for (let poll = 1; poll <= maxPolls; poll += 1) {
    await deps.sleep(pollSeconds);
    let described;
    try {
      described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      // The trigger has not started it yet (EventBridge delivery takes seconds, sometimes a minute).
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') continue;
      throw error;
    }
    const status = described.status ?? 'UNKNOWN';
    if (status === 'RUNNING' || status === 'PENDING_REDRIVE') continue;
    const passed = judgeSmokeOutcome(status, described.error);
    return { executionArn, status, passed, ...(described.error ? { error: described.error } : {}), ...(described.cause ? { cause: described.cause } : {}) };
  }
  return { executionArn, status: 'TIMED_OUT_WAITING', passed: false, cause: `no terminal status after ${maxPolls} polls of ${pollSeconds} s` };
}

/** Markdown for `$GITHUB_STEP_SUMMARY`. */
export function smokeSummary(result: SmokeResult): string {
  const expected = `${EXPECTED_SMOKE_OUTCOME.status} / ${EXPECTED_SMOKE_OUTCOME.error}`;
  return [
    `### Smoke execution ${result.passed ? 'passed' : 'FAILED'}`,
    '',
    `- execution: \`${result.executionArn}\``,
    `- outcome: \`${result.status}${result.error ? ` / ${result.error}` : ''}\` (expected \`${expected}\`: the sample stops at the data-quality gate by design)`,
    ...(result.cause ? [`- cause: ${result.cause.slice(0, 500)}`] : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bucket: { type: 'string' },
      'state-machine-arn': { type: 'string' },
      file: { type: 'string' },
      commit: { type: 'string' },
      attempt: { type: 'string', default: '1' },
    },
  });
  for (const name of ['bucket', 'state-machine-arn', 'file', 'commit'] as const) {
    if (!values[name]) throw new Error(`--${name} is required`);
  }
  const result = await runSmoke(
    { bucket: values.bucket!, stateMachineArn: values['state-machine-arn']!, body: readFileSync(values.file!), commit: values.commit!, attempt: values.attempt! },
    { s3: new S3Client({}), sfn: new SFNClient({}), sleep: (s) => new Promise((r) => setTimeout(r, s * 1000)), log: (line) => console.log(line) },
  );
  console.log(smokeSummary(result));
  if (process.env.GITHUB_STEP_SUMMARY) (await import('node:fs')).appendFileSync(process.env.GITHUB_STEP_SUMMARY, smokeSummary(result));
  process.exitCode = result.passed ? 0 : 1;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
