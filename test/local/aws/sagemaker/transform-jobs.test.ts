import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../../local/aws/s3-location.js';
import { createSageMakerEmulators } from '../../../../local/aws/sagemaker/index.js';
import { predictWithXgboostCli, readXgboostPredictions } from '../../../../local/xgboost/predict-cli.js';
import { BUCKET, makeStateDir, pollUntilSettled, putObject, ROLE_ARN, router, tinyFeatureCsv, trainTinyModel, XGBOOST_IMAGE } from './helpers.js';

const IN_FLIGHT = ['InProgress', 'Stopping'];

function transformRequest(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    TransformJobName: name,
    ModelName: 'ps-model-score',
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/gold/test/features/` } },
      ContentType: 'text/csv',
      SplitType: 'Line',
    },
    TransformOutput: { S3OutputPath: `s3://${BUCKET}/transform/${name}/`, AssembleWith: 'Line', Accept: 'text/csv' },
    TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
    ...overrides,
  };
}

describe('transform jobs', () => {
  let stateDir: string;
  let cleanup: () => void;
  let call: ReturnType<typeof router>;
  let completed: Record<string, unknown>;

  beforeAll(async () => {
    ({ stateDir, cleanup } = makeStateDir());
    call = router(createSageMakerEmulators({ stateDir }));
    const modelDataUrl = await trainTinyModel(stateDir, 'ps-train-score');
    await call('sagemaker', 'CreateModel', { ModelName: 'ps-model-score', PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: modelDataUrl }, ExecutionRoleArn: ROLE_ARN });
    await putObject(stateDir, BUCKET, 'gold/test/features/part-0.csv', tinyFeatureCsv(150, 11));
    await putObject(stateDir, BUCKET, 'gold/test/features/part-1.csv', tinyFeatureCsv(50, 12));
    await call('sagemaker', 'CreateTransformJob', transformRequest('ps-score-r1'));
    completed = await pollUntilSettled(() => call('sagemaker', 'DescribeTransformJob', { TransformJobName: 'ps-score-r1' }), 'TransformJobStatus', IN_FLIGHT);
  });
  afterAll(() => cleanup());

  it('completes with the request echoed and timestamps set', () => {
    expect(completed).toMatchObject({
      TransformJobName: 'ps-score-r1',
      TransformJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:transform-job/ps-score-r1',
      TransformJobStatus: 'Completed',
      ModelName: 'ps-model-score',
      TransformOutput: { S3OutputPath: `s3://${BUCKET}/transform/ps-score-r1/`, AssembleWith: 'Line', Accept: 'text/csv' },
    });
    expect(completed.TransformEndTime).toBeInstanceOf(Date);
  });

  it('writes one line of 3 probabilities per input row to <input name>.out', () => {
    const lines = readFileSync(localObjectPath(stateDir, BUCKET, 'transform/ps-score-r1/part-0.csv.out'), 'utf8').trimEnd().split('\n');

    expect(lines).toHaveLength(150);
    for (const line of lines) {
      const probabilities = line.split(',').map(Number);
      expect(probabilities).toHaveLength(3);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
  });

  it('matches the xgboost command scoring the same rows within 1e-6', async () => {
    const modelPath = join(stateDir, 'sagemaker', 'training', 'ps-train-score', 'opt', 'ml', 'model', 'xgboost-model');
    const reference = join(stateDir, 'reference-predictions.txt');
    await predictWithXgboostCli(modelPath, localObjectPath(stateDir, BUCKET, 'gold/test/features/part-1.csv'), reference);
    const expected = await readXgboostPredictions(reference);

    const actual = readFileSync(localObjectPath(stateDir, BUCKET, 'transform/ps-score-r1/part-1.csv.out'), 'utf8').trimEnd().split('\n').flatMap((line) => line.split(',').map(Number));

    expect(actual).toHaveLength(expected.length);
    const worst = Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('writes the JSON format when Accept is application/json', async () => {
    await call('sagemaker', 'CreateTransformJob', transformRequest('ps-score-json', { TransformOutput: { S3OutputPath: `s3://${BUCKET}/transform/json/`, Accept: 'application/json' } }));
    await pollUntilSettled(() => call('sagemaker', 'DescribeTransformJob', { TransformJobName: 'ps-score-json' }), 'TransformJobStatus', IN_FLIGHT);

    const parsed = JSON.parse(readFileSync(localObjectPath(stateDir, BUCKET, 'transform/json/part-1.csv.out'), 'utf8')) as { predictions: Array<{ score: number[] }> };

    expect(parsed.predictions).toHaveLength(50);
    expect(parsed.predictions[0]!.score).toHaveLength(3);
  });

  it('fails on an input row with the wrong column count, naming object and row', async () => {
    await putObject(stateDir, BUCKET, 'bad/features/part-0.csv', '1,2,3,4\n1,2,3\n');
    await call(
      'sagemaker',
      'CreateTransformJob',
      transformRequest('ps-score-bad', { TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/bad/features/` } }, ContentType: 'text/csv', SplitType: 'Line' } }),
    );

    const failed = await pollUntilSettled(() => call('sagemaker', 'DescribeTransformJob', { TransformJobName: 'ps-score-bad' }), 'TransformJobStatus', IN_FLIGHT);

    expect(failed).toMatchObject({
      TransformJobStatus: 'Failed',
      FailureReason: 'ClientError: Row 2 of the input object bad/features/part-0.csv has 3 columns; expected 4 features (no label, no header)',
    });
  });

  it('rejects a job for an unknown model', async () => {
    await expect(call('sagemaker', 'CreateTransformJob', transformRequest('ps-score-nomodel', { ModelName: 'missing' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Could not find model'),
    });
  });

  it('rejects a second job with the same name', async () => {
    await expect(call('sagemaker', 'CreateTransformJob', transformRequest('ps-score-r1'))).rejects.toMatchObject({ name: 'ResourceInUse' });
  });

  it('answers Describe of an unknown job with ValidationException', async () => {
    await expect(call('sagemaker', 'DescribeTransformJob', { TransformJobName: 'nope' })).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
