import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GlueJob } from '../../../workflow/resource-names.js';
import { GlueEmulator } from '../../../local/aws/glue.js';
import { AwsServiceError } from '../../../local/aws/emulator.js';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';

const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-glue-'));
const args = (runId: string) => ({
  '--run_id': runId,
  '--raw_uri': 's3://raw/raw/week.csv',
  '--silver_uri': `s3://silver/silver/run_id=${runId}/`,
  '--gold_uri': `s3://gold/gold/run_id=${runId}/`,
});

async function runJob(glue: GlueEmulator, jobName: string, Arguments: Record<string, string>) {
  const { JobRunId } = (await glue.call('StartJobRun', { JobName: jobName, Arguments })) as { JobRunId: string };
  await glue.whenIdle();
  return ((await glue.call('GetJobRun', { JobName: jobName, RunId: JobRunId })) as { JobRun: Record<string, unknown> }).JobRun;
}

beforeAll(async () => {
  await generateDataset({ rows: 5000, seed: 2, out: localObjectPath(stateDir, 'raw', 'raw/week.csv') });
});

describe('GlueEmulator job runs', () => {
  it('StartJobRun returns a Glue job run id (jr_ + 64 hex)', async () => {
    const glue = new GlueEmulator({ stateDir });
    const started = await glue.call('StartJobRun', { JobName: GlueJob.RawToSilver, Arguments: args('id') });
    await glue.whenIdle();
    expect(started.JobRunId).toMatch(/^jr_[0-9a-f]{64}$/);
  });

  it('runs raw -> silver and reports SUCCEEDED with the GetJobRun shape', async () => {
    const glue = new GlueEmulator({ stateDir });
    const run = await runJob(glue, GlueJob.RawToSilver, args('ok'));
    expect(run).toMatchObject({
      JobName: GlueJob.RawToSilver,
      JobRunState: 'SUCCEEDED',
      Attempt: 0,
      Arguments: args('ok'),
      StartedOn: expect.any(Date),
      CompletedOn: expect.any(Date),
      ExecutionTime: expect.any(Number),
      ErrorMessage: undefined,
    });
  });

  it('runs silver -> gold into the local S3 path of --gold_uri', async () => {
    const glue = new GlueEmulator({ stateDir });
    await runJob(glue, GlueJob.RawToSilver, args('gold'));
    const run = await runJob(glue, GlueJob.SilverToGold, args('gold'));
    const goldDir = localObjectPath(stateDir, 'gold', 'gold/run_id=gold/');
    expect({ state: run.JobRunState, files: readdirSync(goldDir).sort() }).toEqual({
      state: 'SUCCEEDED',
      files: ['_stats.json', 'baskets', 'customer_features', 'serving', 'silver_stats', 'xgboost'],
    });
  });

  it('fails a run that lacks a required argument, naming it as getResolvedOptions does', async () => {
    const glue = new GlueEmulator({ stateDir });
    const { '--raw_uri': _omitted, ...rest } = args('missing');
    const run = await runJob(glue, GlueJob.RawToSilver, rest);
    expect([run.JobRunState, run.ErrorMessage]).toEqual(['FAILED', 'GlueArgumentError: the following arguments are required: --raw_uri']);
  });

  it('fails a run whose raw object does not exist, naming the file', async () => {
    const glue = new GlueEmulator({ stateDir });
    const run = await runJob(glue, GlueJob.RawToSilver, { ...args('nofile'), '--raw_uri': 's3://raw/raw/absent.csv' });
    expect([run.JobRunState, String(run.ErrorMessage).includes(localObjectPath(stateDir, 'raw', 'raw/absent.csv'))]).toEqual(['FAILED', true]);
  });

  it('throws ConcurrentRunsExceededException beyond MaxConcurrentRuns (default 1)', async () => {
    const glue = new GlueEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'pricesense-glue-conc-')), jobs: [{ name: GlueJob.RawToSilver }] });
    await glue.call('StartJobRun', { JobName: GlueJob.RawToSilver, Arguments: args('a') });
    const second = glue.call('StartJobRun', { JobName: GlueJob.RawToSilver, Arguments: args('b') });
    await expect(second).rejects.toMatchObject({ name: 'ConcurrentRunsExceededException' });
    await glue.whenIdle();
  });

  it('throws EntityNotFoundException for an unknown job', async () => {
    const glue = new GlueEmulator({ stateDir });
    await expect(glue.call('StartJobRun', { JobName: 'nope' })).rejects.toThrow(new AwsServiceError('EntityNotFoundException', 'Job with name: nope not found.'));
  });

  it('throws InvalidInputException for non-string arguments', async () => {
    const glue = new GlueEmulator({ stateDir });
    await expect(glue.call('StartJobRun', { JobName: GlueJob.RawToSilver, Arguments: { '--run_id': 7 } })).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: 'Arguments must map argument names to strings, got {"--run_id":7}',
    });
  });

  it('throws EntityNotFoundException for an unknown run id', async () => {
    const glue = new GlueEmulator({ stateDir });
    await expect(glue.call('GetJobRun', { JobName: GlueJob.RawToSilver, RunId: 'jr_x' })).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('persists runs under <stateDir>/glue/ so another instance reads them', async () => {
    const first = new GlueEmulator({ stateDir });
    const run = await runJob(first, GlueJob.RawToSilver, args('persist'));
    const second = new GlueEmulator({ stateDir });
    const again = (await second.call('GetJobRun', { JobName: GlueJob.RawToSilver, RunId: run.Id })) as { JobRun: Record<string, unknown> };
    expect([again.JobRun.JobRunState, existsSync(join(stateDir, 'glue', 'job-runs'))]).toEqual(['SUCCEEDED', true]);
  });

  it('pages GetJobRuns newest first with NextToken', async () => {
    const glue = new GlueEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'pricesense-glue-page-')), jobs: [{ name: GlueJob.SilverToGold, maxConcurrentRuns: 5 }] });
    for (const id of ['p1', 'p2', 'p3']) await runJob(glue, GlueJob.SilverToGold, args(id));
    const page1 = (await glue.call('GetJobRuns', { JobName: GlueJob.SilverToGold, MaxResults: 2 })) as { JobRuns: Array<Record<string, unknown>>; NextToken?: string };
    const page2 = (await glue.call('GetJobRuns', { JobName: GlueJob.SilverToGold, MaxResults: 2, NextToken: page1.NextToken })) as { JobRuns: unknown[]; NextToken?: string };
    expect({ first: page1.JobRuns.length, second: page2.JobRuns.length, last: page2.NextToken, newest: (page1.JobRuns[0]!.Arguments as Record<string, string>)['--run_id'] }).toEqual({
      first: 2,
      second: 1,
      last: undefined,
      newest: 'p3',
    });
  });

  it('BatchStopJobRun stops a running job: STOPPING, its query interrupted, then STOPPED, with no silver written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pricesense-glue-stop-'));
    await generateDataset({ rows: 200_000, seed: 3, out: localObjectPath(dir, 'raw', 'raw/week.csv') });
    const glue = new GlueEmulator({ stateDir: dir });
    const { JobRunId } = (await glue.call('StartJobRun', { JobName: GlueJob.RawToSilver, Arguments: args('stop') })) as { JobRunId: string };
    const state = async () => ((await glue.call('GetJobRun', { JobName: GlueJob.RawToSilver, RunId: JobRunId })) as { JobRun: { JobRunState: string } }).JobRun.JobRunState;
    while ((await state()) === 'STARTING') await new Promise((resolve) => setTimeout(resolve, 5));

    const stop = await glue.call('BatchStopJobRun', { JobName: GlueJob.RawToSilver, JobRunIds: [JobRunId] });
    const right = await state();
    await glue.whenIdle();

    expect(stop).toEqual({ SuccessfulSubmissions: [{ JobName: GlueJob.RawToSilver, JobRunId }], Errors: [] });
    expect(right).toBe('STOPPING');
    expect(await state()).toBe('STOPPED');
    const silverDir = localObjectPath(dir, 'silver', 'silver/run_id=stop');
    expect(existsSync(silverDir) ? readdirSync(silverDir, { recursive: true, encoding: 'utf8' }) : []).toEqual([]);
    // The next run of the job is not held back by the stopped one (MaxConcurrentRuns 1).
    expect((await runJob(glue, GlueJob.RawToSilver, args('after-stop'))).JobRunState).toBe('SUCCEEDED');
  }, 60_000);

  it('BatchStopJobRun lists a finished or unknown run in Errors; the call itself succeeds', async () => {
    const glue = new GlueEmulator({ stateDir });
    const finished = await runJob(glue, GlueJob.RawToSilver, args('done'));

    const stop = await glue.call('BatchStopJobRun', { JobName: GlueJob.RawToSilver, JobRunIds: [finished.Id, 'jr_unknown'] });

    expect(stop).toEqual({
      SuccessfulSubmissions: [],
      Errors: [
        { JobName: GlueJob.RawToSilver, JobRunId: finished.Id, ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: `Job run ${String(finished.Id)} is SUCCEEDED and cannot be stopped.` } },
        { JobName: GlueJob.RawToSilver, JobRunId: 'jr_unknown', ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: `Job run jr_unknown of job ${GlueJob.RawToSilver} not found.` } },
      ],
    });
    await expect(glue.call('BatchStopJobRun', { JobName: GlueJob.RawToSilver, JobRunIds: [] })).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('rejects an action it does not implement', async () => {
    const glue = new GlueEmulator({ stateDir });
    await expect(glue.call('DeleteJob', {})).rejects.toMatchObject({ name: 'UnsupportedOperation' });
  });
});

describe('GlueEmulator catalog', () => {
  it('creates and returns a database and a partitioned table as the runtime bootstrap does', async () => {
    const glue = new GlueEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'pricesense-glue-cat-')) });
    await glue.call('CreateDatabase', { DatabaseInput: { Name: 'pricesense' } });
    await glue.call('CreateTable', {
      DatabaseName: 'pricesense',
      TableInput: { Name: 'gold_baskets', PartitionKeys: [{ Name: 'run_id', Type: 'string' }], StorageDescriptor: { Location: 's3://gold/gold/' } },
    });
    const { Table } = (await glue.call('GetTable', { DatabaseName: 'pricesense', Name: 'gold_baskets' })) as { Table: Record<string, unknown> };
    expect(Table).toMatchObject({ Name: 'gold_baskets', DatabaseName: 'pricesense', PartitionKeys: [{ Name: 'run_id', Type: 'string' }], CreateTime: expect.any(Date) });
  });

  it('throws AlreadyExistsException for a second CreateDatabase of the same name', async () => {
    const glue = new GlueEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'pricesense-glue-cat2-')) });
    await glue.call('CreateDatabase', { DatabaseInput: { Name: 'db' } });
    await expect(glue.call('CreateDatabase', { DatabaseInput: { Name: 'db' } })).rejects.toMatchObject({ name: 'AlreadyExistsException' });
  });

  it('throws EntityNotFoundException for a table of an unknown database', async () => {
    const glue = new GlueEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'pricesense-glue-cat3-')) });
    await expect(glue.call('GetTable', { DatabaseName: 'none', Name: 't' })).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('runs a job created with CreateJob by its script name', async () => {
    const glue = new GlueEmulator({ stateDir, jobs: [] });
    await glue.call('CreateJob', { Name: 'custom-name', Command: { Name: 'glueetl', ScriptLocation: 's3://assets/abc/raw_to_silver.py' }, ExecutionProperty: { MaxConcurrentRuns: 2 } });
    const run = await runJob(glue, 'custom-name', args('custom'));
    expect(run.JobRunState).toBe('SUCCEEDED');
  });
});
