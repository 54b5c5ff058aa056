import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../../local/aws/s3-location.js';
import { TrainingJobsEmulator } from '../../../../local/aws/sagemaker/training-jobs.js';
import { BUCKET, makeStateDir, pollUntilSettled, putObject, ROLE_ARN, TINY_HYPERPARAMETERS, tinyTrainingCsv, XGBOOST_IMAGE } from './helpers.js';

const IN_FLIGHT = ['InProgress', 'Stopping'];

function trainingRequest(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
    RoleArn: ROLE_ARN,
    HyperParameters: TINY_HYPERPARAMETERS,
    InputDataConfig: ['train', 'validation'].map((channel) => ({
      ChannelName: channel,
      ContentType: 'text/csv',
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/gold/run_id=r1/xgboost/${channel}/`, S3DataDistributionType: 'FullyReplicated' } },
    })),
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/training/` },
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
    EnableManagedSpotTraining: true,
    CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/${name}/` },
    ...overrides,
  };
}

describe('training jobs', () => {
  let stateDir: string;
  let cleanup: () => void;
  let training: TrainingJobsEmulator;
  let completed: Record<string, unknown>;

  beforeAll(async () => {
    ({ stateDir, cleanup } = makeStateDir());
    training = new TrainingJobsEmulator({ stateDir });
    await putObject(stateDir, BUCKET, 'gold/run_id=r1/xgboost/train/part-00000.csv', tinyTrainingCsv(200, 1));
    await putObject(stateDir, BUCKET, 'gold/run_id=r1/xgboost/train/part-00001.csv', tinyTrainingCsv(100, 2));
    await putObject(stateDir, BUCKET, 'gold/run_id=r1/xgboost/validation/part-00000.csv', tinyTrainingCsv(100, 3));
    await training.call('CreateTrainingJob', trainingRequest('ps-train-r1'));
    completed = await pollUntilSettled(() => training.call('DescribeTrainingJob', { TrainingJobName: 'ps-train-r1' }), 'TrainingJobStatus', IN_FLIGHT);
  });
  afterAll(() => cleanup());

  it('completes a real XGBoost training job', () => {
    expect(completed).toMatchObject({
      TrainingJobName: 'ps-train-r1',
      TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/ps-train-r1',
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      ModelArtifacts: { S3ModelArtifacts: `s3://${BUCKET}/training/ps-train-r1/output/model.tar.gz` },
      HyperParameters: TINY_HYPERPARAMETERS,
      EnableManagedSpotTraining: true,
    });
  });

  it('reports the secondary status transitions in order', () => {
    const statuses = (completed.SecondaryStatusTransitions as Array<{ Status: string }>).map((t) => t.Status);

    expect(statuses).toEqual(['Starting', 'Downloading', 'Training', 'Uploading', 'Completed']);
  });

  it('reports the final metrics parsed from the xgboost log', () => {
    const metrics = completed.FinalMetricDataList as Array<{ MetricName: string; Value: number }>;

    // Only the validation channel is evaluated (local/xgboost/train.ts: no eval_train unless asked).
    expect(metrics.map((m) => m.MetricName)).toEqual(expect.arrayContaining(['validation:mlogloss']));
    expect(metrics.map((m) => m.MetricName)).not.toContain('train:mlogloss');
    const validation = metrics.find((m) => m.MetricName === 'validation:mlogloss')!;
    expect(validation.Value).toBeGreaterThan(0);
    expect(validation.Value).toBeLessThan(Math.log(3));
  });

  it('reports training and billable seconds and timestamps', () => {
    expect(completed.TrainingTimeInSeconds).toBeGreaterThanOrEqual(1);
    expect(completed.BillableTimeInSeconds).toBe(completed.TrainingTimeInSeconds);
    expect(completed.TrainingEndTime).toBeInstanceOf(Date);
    expect((completed.TrainingEndTime as Date).getTime()).toBeGreaterThanOrEqual((completed.CreationTime as Date).getTime());
  });

  it('uploads model.tar.gz with xgboost-model at its root', () => {
    const archive = localObjectPath(stateDir, BUCKET, 'training/ps-train-r1/output/model.tar.gz');

    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n').filter(Boolean);

    expect(listing).toContain('xgboost-model');
  });

  it("lays out SageMaker's container files for the job", () => {
    const optMl = join(stateDir, 'sagemaker', 'training', 'ps-train-r1', 'opt', 'ml');

    expect(JSON.parse(readFileSync(join(optMl, 'input', 'config', 'hyperparameters.json'), 'utf8'))).toEqual(TINY_HYPERPARAMETERS);
    expect(Object.keys(JSON.parse(readFileSync(join(optMl, 'input', 'config', 'inputdataconfig.json'), 'utf8')))).toEqual(['train', 'validation']);
    expect(existsSync(join(optMl, 'input', 'data', 'train', 'part-00001.csv'))).toBe(true);
    expect(existsSync(join(optMl, 'model', 'xgboost-model'))).toBe(true);
  });

  it('answers a second create with the same name with ResourceInUse (the redrive signal)', async () => {
    await expect(training.call('CreateTrainingJob', trainingRequest('ps-train-r1'))).rejects.toMatchObject({
      name: 'ResourceInUse',
      message: expect.stringContaining('arn:aws:sagemaker:us-east-1:000000000000:training-job/ps-train-r1'),
    });
  });

  it('rejects an image other than SageMaker XGBoost 1.7, naming it', async () => {
    const image = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1-cpu-py310';

    await expect(
      training.call('CreateTrainingJob', trainingRequest('ps-train-torch', { AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' } })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining(image) });
  });

  it('rejects managed spot when MaxWaitTimeInSeconds does not exceed MaxRuntimeInSeconds', async () => {
    await expect(
      training.call('CreateTrainingJob', trainingRequest('ps-train-spot', { StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3600 } })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('MaxWaitTimeInSeconds (3600) must be greater than MaxRuntimeInSeconds (3600)') });
  });

  it('rejects a job name outside the SageMaker pattern', async () => {
    await expect(training.call('CreateTrainingJob', trainingRequest('run_1'))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('"run_1"'),
    });
  });

  it('rejects a non-CSV channel content type, naming it', async () => {
    const request = trainingRequest('ps-train-libsvm');
    (request.InputDataConfig as Array<Record<string, unknown>>)[0]!.ContentType = 'text/libsvm';

    await expect(training.call('CreateTrainingJob', request)).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('"text/libsvm"'),
    });
  });

  it('answers Describe of an unknown job with "Requested resource not found."', async () => {
    await expect(training.call('DescribeTrainingJob', { TrainingJobName: 'ps-train-missing' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Requested resource not found.',
    });
  });

  it('fails a job whose channel prefix holds no objects, naming the channel', async () => {
    await training.call(
      'CreateTrainingJob',
      trainingRequest('ps-train-empty', {
        InputDataConfig: [{ ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/nothing-here/` } } }],
      }),
    );

    const failed = await pollUntilSettled(() => training.call('DescribeTrainingJob', { TrainingJobName: 'ps-train-empty' }), 'TrainingJobStatus', IN_FLIGHT);

    expect(failed).toMatchObject({ TrainingJobStatus: 'Failed', SecondaryStatus: 'Failed', FailureReason: expect.stringContaining("channel 'train'") });
  });

  it('fails a job whose hyperparameters xgboost rejects, with the algorithm error', async () => {
    await training.call('CreateTrainingJob', trainingRequest('ps-train-badhp', { HyperParameters: { ...TINY_HYPERPARAMETERS, num_class: 'three' } }));

    const failed = await pollUntilSettled(() => training.call('DescribeTrainingJob', { TrainingJobName: 'ps-train-badhp' }), 'TrainingJobStatus', IN_FLIGHT);

    expect(failed).toMatchObject({ TrainingJobStatus: 'Failed', FailureReason: expect.stringMatching(/^AlgorithmError: .*num_class/) });
  });

  it('stops a running job', async () => {
    await training.call('CreateTrainingJob', trainingRequest('ps-train-stop'));

    await training.call('StopTrainingJob', { TrainingJobName: 'ps-train-stop' });
    const stopped = await pollUntilSettled(() => training.call('DescribeTrainingJob', { TrainingJobName: 'ps-train-stop' }), 'TrainingJobStatus', IN_FLIGHT);

    expect(stopped).toMatchObject({ TrainingJobStatus: 'Stopped', SecondaryStatus: 'Stopped' });
  });

  it('reports a job whose owning process died as Failed, not InProgress forever', async () => {
    await training.call('CreateTrainingJob', trainingRequest('ps-train-orphan', { InputDataConfig: [{ ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/nothing/` } } }] }));
    await pollUntilSettled(() => training.call('DescribeTrainingJob', { TrainingJobName: 'ps-train-orphan' }), 'TrainingJobStatus', IN_FLIGHT);
    const recordPath = join(stateDir, 'sagemaker', 'training-jobs', 'ps-train-orphan.json');
    const deadPid = spawnSync('true').pid;
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(recordPath, JSON.stringify({ ...record, TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training', FailureReason: undefined, OwnerPid: deadPid }));

    const described = await training.call('DescribeTrainingJob', { TrainingJobName: 'ps-train-orphan' });

    expect(described).toMatchObject({ TrainingJobStatus: 'Failed', FailureReason: expect.stringContaining(`pid ${deadPid}`) });
  });
});
