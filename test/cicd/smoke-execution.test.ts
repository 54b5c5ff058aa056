/** The CI smoke execution script (infra/cicd/smoke-execution.ts) against mocked S3 and Step Functions. */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { judgeSmokeOutcome, runSmoke, smokeExecutionArn, smokeKey, smokeSummary } from '../../infra/cicd/smoke-execution.js';
import { executionNameForObject } from '../../tasks/core/start-execution/execution-name.js';

const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:pricesense-pipeline';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const notFound = Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' });

function deps() {
  const sleeps: number[] = [];
  return { sleeps, s3: new S3Client({}), sfn: new SFNClient({}), sleep: async (s: number) => void sleeps.push(s), log: () => undefined };
}

beforeEach(() => {
  s3.reset();
  sfn.reset();
});

describe('smoke execution', () => {
  it('puts the sample under raw/ci-smoke/ named by commit and attempt', () => {
    expect(smokeKey(COMMIT, '2')).toBe('raw/ci-smoke/0123456789ab-2.csv');
  });

  it('rejects a commit that is not a SHA, naming the value', () => {
    expect(() => smokeKey('main', '1')).toThrow('--commit must be a git commit SHA (7-40 hex digits), got "main"');
  });

  it('derives the execution the S3 trigger starts, from the bare ETag', () => {
    const arn = smokeExecutionArn(SM, 'raw-bucket', 'raw/ci-smoke/0123456789ab-1.csv', '"abc123"');

    expect(arn).toBe(`arn:aws:states:us-east-1:123456789012:execution:pricesense-pipeline:${executionNameForObject('raw-bucket', 'raw/ci-smoke/0123456789ab-1.csv', 'abc123')}`);
    expect(arn.split(':').pop()).toMatch(/^ci-smoke-0123456789ab-1-[0-9a-f]{16}$/);
  });

  it('passes only on the data-quality gate failure the small sample is built to reach', () => {
    expect(judgeSmokeOutcome('FAILED', 'DataQualityFailed')).toBe(true);
    expect(judgeSmokeOutcome('SUCCEEDED', undefined)).toBe(false);
    expect(judgeSmokeOutcome('FAILED', 'PipelineFailed')).toBe(false);
  });

  it('waits for the trigger to start the execution, then for its end', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"etag-1"' });
    sfn
      .on(DescribeExecutionCommand)
      .rejectsOnce(notFound)
      .resolvesOnce({ status: 'RUNNING' })
      .resolvesOnce({ status: 'FAILED', error: 'DataQualityFailed', cause: 'labelled baskets 281 < 1000' });
    const d = deps();

    const result = await runSmoke({ bucket: 'raw-bucket', stateMachineArn: SM, body: 'csv', commit: COMMIT, attempt: '1', pollSeconds: 5 }, d);

    expect(result).toMatchObject({ status: 'FAILED', error: 'DataQualityFailed', passed: true });
    expect(result.executionArn).toBe(smokeExecutionArn(SM, 'raw-bucket', 'raw/ci-smoke/0123456789ab-1.csv', 'etag-1'));
    expect(d.sleeps).toEqual([5, 5, 5]);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: 'raw-bucket', Key: 'raw/ci-smoke/0123456789ab-1.csv', ContentType: 'text/csv' });
  });

  it('fails when the run gets past the data-quality gate', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });

    const result = await runSmoke({ bucket: 'b', stateMachineArn: SM, body: 'csv', commit: COMMIT, attempt: '1' }, deps());

    expect(result.passed).toBe(false);
    expect(smokeSummary(result)).toContain('### Smoke execution FAILED');
  });

  it('gives up after maxPolls without a terminal status', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });

    const result = await runSmoke({ bucket: 'b', stateMachineArn: SM, body: 'csv', commit: COMMIT, attempt: '1', pollSeconds: 1, maxPolls: 3 }, deps());

    expect(result).toMatchObject({ status: 'TIMED_OUT_WAITING', passed: false, cause: 'no terminal status after 3 polls of 1 s' });
  });

  it('does not swallow access errors', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    await expect(runSmoke({ bucket: 'b', stateMachineArn: SM, body: 'csv', commit: COMMIT, attempt: '1' }, deps())).rejects.toThrow('not authorized');
  });
});
