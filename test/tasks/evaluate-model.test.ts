import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { s3Body } from './fixtures.js';

vi.hoisted(() => {
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' });
});

const { handler } = await import('../../tasks/evaluate-model.js');

const s3 = mockClient(S3Client);
const sageMaker = mockClient(SageMakerClient);
const RUN = 'week-47-0123456789abcdef';
const LABELS_PREFIX = `gold/run_id=${RUN}/xgboost/test/labels/`;
const TRANSFORM_PREFIX = `transform/run_id=${RUN}/`;
const REQUEST = {
  runId: RUN,
  labelsUri: `s3://ps-gold/${LABELS_PREFIX}`,
  predictionsUri: `s3://ps-artifacts/${TRANSFORM_PREFIX}`,
  reportUri: `s3://ps-artifacts/evaluation/run_id=${RUN}/model-quality.json`,
  modelPackageGroupName: 'pricesense-basket-price-sensitivity',
};
const GROUP_ARN = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/pricesense-basket-price-sensitivity';

// Rows = true LA, MM, UM; columns = predicted (same matrix as the metrics unit test).
const KNOWN = [
  [5, 2, 1],
  [1, 6, 1],
  [0, 2, 4],
];
const PROBABILITIES = ['0.7,0.2,0.1', '[0.1, 0.8, 0.1]', '0.2,0.3,0.5'];

function serveSplit(matrix: number[][], options: { dropPredictions?: number } = {}): void {
  const labels: string[] = [];
  const predictions: string[] = [];
  matrix.forEach((row, truth) =>
    row.forEach((count, guess) => {
      for (let i = 0; i < count; i += 1) {
        labels.push(String(truth));
        predictions.push(PROBABILITIES[guess]!);
      }
    }),
  );
  const kept = predictions.slice(0, predictions.length - (options.dropPredictions ?? 0));
  s3.on(ListObjectsV2Command, { Bucket: 'ps-gold', Prefix: LABELS_PREFIX }).resolves({
    Contents: [{ Key: `${LABELS_PREFIX}_SUCCESS` }, { Key: `${LABELS_PREFIX}part-0.csv` }],
  });
  s3.on(ListObjectsV2Command, { Bucket: 'ps-artifacts', Prefix: TRANSFORM_PREFIX }).resolves({
    Contents: [{ Key: `${TRANSFORM_PREFIX}part-0.csv.out` }],
  });
  s3.on(GetObjectCommand, { Bucket: 'ps-gold', Key: `${LABELS_PREFIX}part-0.csv` }).resolves({ Body: s3Body(labels.join('\n') + '\n') });
  s3.on(GetObjectCommand, { Bucket: 'ps-artifacts', Key: `${TRANSFORM_PREFIX}part-0.csv.out` }).resolves({ Body: s3Body(kept.join('\n') + '\n') });
}

function writtenReport() {
  const put = s3.commandCalls(PutObjectCommand).find((call) => call.args[0].input.Key === `evaluation/run_id=${RUN}/model-quality.json`);
  return JSON.parse(String(put!.args[0].input.Body));
}

beforeEach(() => {
  s3.reset();
  sageMaker.reset();
  s3.on(PutObjectCommand).resolves({});
  sageMaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
});

describe('evaluate-model', () => {
  it('computes the metrics of the known confusion matrix from labels and both prediction forms', async () => {
    serveSplit(KNOWN);

    const result = await handler(REQUEST);

    expect(result.metrics.confusionMatrix).toEqual(KNOWN);
    expect(result.metrics.accuracy).toBeCloseTo(15 / 22, 12);
    expect(result.metrics.macroF1).toBeCloseTo(43 / 63, 12);
    expect(result.metrics.precision.MM).toBeCloseTo(0.6, 12);
    expect(result).toMatchObject({ reportUri: REQUEST.reportUri, baseline: null, improvesOnBaseline: null });
  });

  it('writes the report in the SageMaker model-quality layout', async () => {
    serveSplit(KNOWN);

    await handler(REQUEST);

    const report = writtenReport();
    expect(report.dataset.item_count).toBe(22);
    expect(report.multiclass_classification_metrics.confusion_matrix).toEqual({
      LA: { LA: 5, MM: 2, UM: 1 },
      MM: { LA: 1, MM: 6, UM: 1 },
      UM: { LA: 0, MM: 2, UM: 4 },
    });
    expect(report.multiclass_classification_metrics.accuracy.value).toBeCloseTo(15 / 22, 12);
    expect(report.multiclass_classification_metrics.accuracy.standard_deviation).toBeGreaterThan(0);
    expect(report.multiclass_classification_metrics.precision_UM.value).toBeCloseTo(4 / 6, 12);
    expect(report.pricesense.metrics.testRows).toBe(22);
  });

  it('says in the report when a class was never predicted', async () => {
    serveSplit([
      [3, 1, 0],
      [0, 2, 0],
      [1, 1, 0],
    ]);

    const result = await handler(REQUEST);

    expect(result.metrics.precision.UM).toBe(0);
    expect(writtenReport().pricesense.notes).toContain(
      'The model never predicted UM: its precision is reported as 0 (undefined, 0 of 0 predictions correct).',
    );
  });

  it('compares with the newest approved model of the group', async () => {
    serveSplit(KNOWN);
    const baselineArn = `${GROUP_ARN}/3`;
    sageMaker.on(ListModelPackagesCommand).resolves({
      ModelPackageSummaryList: [{ ModelPackageArn: baselineArn, ModelPackageGroupName: REQUEST.modelPackageGroupName, CreationTime: new Date(), ModelPackageStatus: 'Completed' }],
    });
    sageMaker.on(DescribeModelPackageCommand).resolves({
      ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://ps-artifacts/evaluation/run_id=old/model-quality.json' } } },
    });
    s3.on(GetObjectCommand, { Bucket: 'ps-artifacts', Key: 'evaluation/run_id=old/model-quality.json' }).resolves({
      Body: s3Body(JSON.stringify({ multiclass_classification_metrics: { accuracy: { value: 0.6, standard_deviation: 0.01 }, macro_f1: { value: 0.55, standard_deviation: 0.01 } } })),
    });

    const result = await handler(REQUEST);

    expect(sageMaker).toHaveReceivedCommandWith(ListModelPackagesCommand, {
      ModelPackageGroupName: REQUEST.modelPackageGroupName,
      ModelApprovalStatus: 'Approved',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
    });
    expect(sageMaker).toHaveReceivedCommandWith(DescribeModelPackageCommand, { ModelPackageName: baselineArn });
    expect(result.baseline).toEqual({ modelPackageArn: baselineArn, accuracy: 0.6, macroF1: 0.55 });
    expect(result.improvesOnBaseline).toBe(true);
  });

  it('has no baseline when the approved model carries no model-quality statistics', async () => {
    serveSplit(KNOWN);
    sageMaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: `${GROUP_ARN}/1`, ModelPackageGroupName: 'g', CreationTime: new Date(), ModelPackageStatus: 'Completed' }] });
    sageMaker.on(DescribeModelPackageCommand).resolves({});

    const result = await handler(REQUEST);

    expect([result.baseline, result.improvesOnBaseline]).toEqual([null, null]);
  });

  it('publishes accuracy, macro F1 and per-class precision as custom metrics', async () => {
    serveSplit(KNOWN);
    const addMetric = vi.spyOn(Metrics.prototype, 'addMetric');

    await handler(REQUEST);

    const published = Object.fromEntries(addMetric.mock.calls.map(([name, , value]) => [name, value]));
    expect(Object.keys(published).sort()).toEqual(['ModelAccuracy', 'ModelMacroF1', 'ModelPrecisionLA', 'ModelPrecisionMM', 'ModelPrecisionUM']);
    expect(published.ModelPrecisionLA).toBeCloseTo(5 / 6, 12);
    addMetric.mockRestore();
  });

  it('fails with EvaluationInputMismatch naming both counts when rows do not line up', async () => {
    serveSplit(KNOWN, { dropPredictions: 2 });

    await expect(handler(REQUEST)).rejects.toMatchObject({
      name: 'EvaluationInputMismatch',
      message: `The test split has 22 labels (${REQUEST.labelsUri}) but the batch transform returned 20 predictions (${REQUEST.predictionsUri}): expected one prediction line per test row, in the same order`,
    });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('names the file, line and value of a prediction that is not three probabilities', async () => {
    serveSplit(KNOWN);
    s3.on(GetObjectCommand, { Bucket: 'ps-artifacts', Key: `${TRANSFORM_PREFIX}part-0.csv.out` }).resolves({ Body: s3Body('0.1,0.9\n') });

    await expect(handler(REQUEST)).rejects.toMatchObject({
      name: 'EvaluationInputMismatch',
      message: `s3://ps-artifacts/${TRANSFORM_PREFIX}part-0.csv.out line 1: "0.1,0.9" is not 3 class probabilities: expected a line like 0.1,0.2,0.7 or [0.1, 0.2, 0.7]`,
    });
  });

  it('names the line of a label that is not 0, 1 or 2', async () => {
    serveSplit(KNOWN);
    s3.on(GetObjectCommand, { Bucket: 'ps-gold', Key: `${LABELS_PREFIX}part-0.csv` }).resolves({ Body: s3Body('0\nUM\n') });

    await expect(handler(REQUEST)).rejects.toMatchObject({
      name: 'EvaluationInputMismatch',
      message: `s3://ps-gold/${LABELS_PREFIX}part-0.csv line 2: label "UM" is not a class index: expected 0 (LA), 1 (MM) or 2 (UM)`,
    });
  });

  it('fails when the transform output prefix holds no .out objects', async () => {
    serveSplit(KNOWN);
    s3.on(ListObjectsV2Command, { Bucket: 'ps-artifacts', Prefix: TRANSFORM_PREFIX }).resolves({ Contents: [] });

    await expect(handler(REQUEST)).rejects.toMatchObject({
      name: 'EvaluationInputMismatch',
      message: expect.stringContaining(`No batch-transform output (.out) objects under ${REQUEST.predictionsUri}`),
    });
  });

  it('rejects a malformed request, naming the field', async () => {
    await expect(handler({ ...REQUEST, reportUri: 'model-quality.json' })).rejects.toMatchObject({
      name: 'EvaluationInputMismatch',
      message: expect.stringContaining('reportUri: expected an S3 URI like s3://bucket/key'),
    });
  });
});
