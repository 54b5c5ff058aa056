/**
 * `pricesense serve --aws` (the EKS container) end to end over real HTTP on 127.0.0.1: a model
 * trained by the xgboost command in a model directory, the AWS clients mocked with
 * aws-sdk-client-mock (DescribeModelPackage and GetObject at start, GetRecord and PutItem per
 * request), and what AWS errors from them turn into.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, DynamoDBServiceException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetRecordCommand, ResourceNotFound, SageMakerFeatureStoreRuntimeClient, SageMakerFeatureStoreRuntimeServiceException } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsServe, type AwsServeApp } from '../../../local/serving/aws/aws-backend.js';
import { readAwsServeConfig, type AwsServeConfig } from '../../../local/serving/aws/serve-config.js';
import { loadXgboostModel, type XgboostModel } from '../../../local/xgboost/model.js';
import { trainXgboost } from '../../../local/xgboost/train.js';
import { basketFeatures, namedFeatures } from '../../../tasks/core/predict/basket-features.js';
import { parseBasketRequest } from '../../../tasks/core/predict/basket-request.js';
import { GOLD_FEATURES } from '../../../workflow/gold-features.js';
import { CUSTOMER_FEATURES } from '../../../workflow/features.js';
import { s3Body } from '../../tasks/fixtures.js';
import { makeSyntheticData, writeLabeledCsv } from '../xgboost/synthetic-data.js';
import { validBasket } from './serving-fixtures.js';

const featureStore = mockClient(SageMakerFeatureStoreRuntimeClient);
const dynamodb = mockClient(DynamoDBClient);
const sageMaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);

const PACKAGE = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/pricesense-basket-price-sensitivity/7';
const MODEL_URI = 's3://ps-artifacts/training/ps-train-run-42/output/model.tar.gz';
const GOLD = 'ps-gold-bucket';
const REFERENCES_KEY = 'gold/run_id=run-42/serving/reference_prices.json';
const REFERENCES = { product: { PRD0900001: 1.5, PRD0900700: 3 }, group: { G00001: 1.2 } };
const GROUP = 'pricesense-customer-history';
const TABLE = 'pricesense-inference-log';
const HISTORY = { prior_baskets: 4, prior_spend_mean: 12.5, prior_items_mean: 5, prior_share_la: 0.25, prior_share_mm: 0.25, prior_share_um: 0.5, last_shop_week: 200606, prior_price_ratio_mean: 0.1 };

let root: string;
let modelDir: string;
let model: XgboostModel;
let logLines: string[] = [];

function configFor(overrides: Partial<AwsServeConfig> = {}): AwsServeConfig {
  return { ...readAwsServeConfig({ PRICESENSE_MODEL_DIR: modelDir, AWS_REGION: 'eu-west-1', PRICESENSE_MODEL_PACKAGE_ARN: PACKAGE, PRICESENSE_GOLD_BUCKET: GOLD, MODEL_DATA_URL: MODEL_URI, PRICESENSE_INFERENCE_TABLE: TABLE }), ...overrides };
}

async function start(overrides: Partial<AwsServeConfig> = {}): Promise<AwsServeApp> {
  return startAwsServe({ config: configFor(overrides), port: 0, historyTtlMs: 0, log: (line) => logLines.push(line) });
}

async function predict(app: AwsServeApp, basket: Record<string, unknown>) {
  const res = await fetch(`${app.url}/predict`, { method: 'POST', body: JSON.stringify(basket), headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, body: JSON.parse(await res.text()), version: res.headers.get('x-model-version') };
}

function historyRecord(customerId: string) {
  return [
    { FeatureName: 'customer_id', ValueAsString: customerId },
    ...Object.entries(HISTORY).map(([name, value]) => ({ FeatureName: name, ValueAsString: String(value) })),
  ];
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aws-serve-'));
  // A real model over the gold feature list, trained by the xgboost command as SageMaker's container would.
  await writeLabeledCsv(makeSyntheticData(300, { numFeatures: GOLD_FEATURES.length, seed: 11 }), join(root, 'train.csv'));
  modelDir = join(root, 'model');
  mkdirSync(modelDir);
  await trainXgboost({
    trainCsv: join(root, 'train.csv'),
    hyperparameters: { objective: 'multi:softprob', num_class: '3', num_round: '4', max_depth: '3', eta: '0.3', seed: '1' },
    workDir: join(root, 'train'),
    modelOut: join(modelDir, 'xgboost-model'),
  });
  model = await loadXgboostModel(join(modelDir, 'xgboost-model'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  logLines = [];
  for (const mock of [featureStore, dynamodb, sageMaker, s3]) mock.reset();
  sageMaker.on(DescribeModelPackageCommand, { ModelPackageName: PACKAGE }).resolves({
    ModelPackageGroupName: 'pricesense-basket-price-sensitivity',
    ModelPackageVersion: 7,
    ModelApprovalStatus: 'Approved',
    CustomerMetadataProperties: { runId: 'run-42' },
    InferenceSpecification: { Containers: [{ Image: 'xgboost:1.7-1', ModelDataUrl: MODEL_URI }] },
  });
  s3.on(GetObjectCommand, { Bucket: GOLD, Key: REFERENCES_KEY }).callsFake(() => ({ Body: s3Body(JSON.stringify(REFERENCES)) }));
  featureStore.on(GetRecordCommand).resolves({});
  dynamodb.on(PutItemCommand).resolves({});
});

describe('pricesense serve --aws over HTTP', () => {
  let app: AwsServeApp;
  beforeEach(async () => {
    app = await start();
  });
  afterEach(async () => {
    await app.close();
  });

  it('binds 127.0.0.1 by default and answers /ping 200 with the registered version once the model is loaded', async () => {
    const res = await fetch(`${app.url}/ping`);

    expect(new URL(app.url).hostname).toBe('127.0.0.1');
    expect([res.status, res.headers.get('x-model-version')]).toEqual([200, 'pricesense-basket-price-sensitivity/7']);
  });

  it('reads the package and its gold run\'s reference prices once at start, with exactly those requests', () => {
    expect(sageMaker).toHaveReceivedCommandTimes(DescribeModelPackageCommand, 1);
    expect(sageMaker).toHaveReceivedCommandWith(DescribeModelPackageCommand, { ModelPackageName: PACKAGE });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: GOLD, Key: REFERENCES_KEY });
    expect(app.registered).toEqual({ modelPackageArn: PACKAGE, runId: 'run-42', version: 'pricesense-basket-price-sensitivity/7' });
  });

  it('scores with the loaded model on the features from GetRecord and the run\'s reference prices', async () => {
    featureStore.on(GetRecordCommand, { RecordIdentifierValueAsString: 'CUST0000000042' }).resolves({ Record: historyRecord('CUST0000000042') });
    const basket = validBasket({ CUST_CODE: 'CUST0000000042', BASKET_ID: 4242 });

    const res = await predict(app, basket);

    const expected = model.predictProba(basketFeatures(parseBasketRequest(basket), HISTORY, REFERENCES), 1);
    expect(res.status).toBe(200);
    expect(res.body.probabilities).toEqual({ LA: expected[0], MM: expected[1], UM: expected[2] });
    expect([res.body.modelVersion, res.version]).toEqual(['pricesense-basket-price-sensitivity/7', 'pricesense-basket-price-sensitivity/7']);
    expect(featureStore.commandCalls(GetRecordCommand).map((call) => call.args[0].input)).toEqual([
      { FeatureGroupName: GROUP, RecordIdentifierValueAsString: 'CUST0000000042', FeatureNames: CUSTOMER_FEATURES.map((f) => f.name) },
    ]);
  });

  it('writes the inference behind the response with one PutItem on the table', async () => {
    const basket = validBasket({ CUST_CODE: 'CUST0000000043', BASKET_ID: 4343 });
    featureStore.on(GetRecordCommand).resolves({ Record: historyRecord('CUST0000000043') });

    const res = await predict(app, basket);
    await app.recorder!.flush();

    const features = namedFeatures(basketFeatures(parseBasketRequest(basket), HISTORY, REFERENCES));
    const calls = dynamodb.commandCalls(PutItemCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({
      TableName: TABLE,
      Item: {
        inferenceId: { S: res.body.inferenceId },
        basketId: { S: '4343' },
        modelVersion: { S: 'pricesense-basket-price-sensitivity/7' },
        features: { M: Object.fromEntries(Object.entries(features).map(([name, value]) => [name, { N: String(value) }])) },
        probabilities: { M: { LA: { N: String(res.body.probabilities.LA) }, MM: { N: String(res.body.probabilities.MM) }, UM: { N: String(res.body.probabilities.UM) } } },
        label: { S: res.body.label },
        timestamp: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
        customerId: { S: 'CUST0000000043' },
        latencyMs: { N: expect.stringMatching(/^\d+\.\d{3}$/) },
        expiresAt: { N: expect.stringMatching(/^\d+$/) },
      },
    });
  });

  it('answers 503 naming the feature group when it does not exist (ResourceNotFound), without a stack', async () => {
    featureStore.on(GetRecordCommand).rejects(new ResourceNotFound({ message: `Resource Not Found: Amazon SageMaker can't find a feature group with name ${GROUP}`, $metadata: { httpStatusCode: 404 } }));

    const res = await predict(app, validBasket({ CUST_CODE: 'CUST0000000044' }));

    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'ServiceUnavailable',
      message: `customer history is unavailable: ResourceNotFound: GetRecord on feature group ${GROUP} failed: Resource Not Found: Amazon SageMaker can't find a feature group with name ${GROUP}`,
    });
  });

  it('answers 503 with the denial when the role may not read the feature group (AccessDeniedException), without a stack', async () => {
    const denial = 'User: arn:aws:sts::111122223333:assumed-role/pricesense-serving/pod is not authorized to perform: sagemaker:GetRecord';
    featureStore.on(GetRecordCommand).rejects(new SageMakerFeatureStoreRuntimeServiceException({ name: 'AccessDeniedException', $fault: 'client', message: denial, $metadata: { httpStatusCode: 400 } }));

    const res = await predict(app, validBasket({ CUST_CODE: 'CUST0000000045' }));

    expect(res.status).toBe(503);
    expect(res.body.message).toBe(`customer history is unavailable: AccessDeniedException: GetRecord on feature group ${GROUP} failed: ${denial}`);
    expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |\.ts:\d+/);
    expect(logLines).toContain(`/predict: AccessDeniedException: GetRecord on feature group ${GROUP} failed: ${denial}`);
  });

  it('still answers 200 when PutItem is denied, counting the failed record and logging the table', async () => {
    dynamodb.on(PutItemCommand).rejects(new DynamoDBServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized to perform: dynamodb:PutItem', $metadata: { httpStatusCode: 400 } }));

    const res = await predict(app, validBasket({ CUST_CODE: '' }));
    await app.recorder!.flush();

    expect(res.status).toBe(200);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toMatch(/^pricesense_inference_records_failed_total 1$/m);
    expect(logLines).toContain(`1 inference records not written to ${TABLE}: AccessDeniedException: not authorized to perform: dynamodb:PutItem`);
  });
});

describe('pricesense serve --aws start-up', () => {
  it('writes no inference log when the table name is empty', async () => {
    const app = await startAwsServe({ config: { ...configFor(), inferenceTableName: undefined }, port: 0, log: (line) => logLines.push(line) });
    try {
      const res = await predict(app, validBasket({ CUST_CODE: '' }));
      expect(res.status).toBe(200);
      expect(app.recorder).toBeUndefined();
      expect(dynamodb).toHaveReceivedCommandTimes(PutItemCommand, 0);
      expect(await (await fetch(`${app.url}/metrics`)).text()).not.toContain('pricesense_inference_records');
      expect(logLines.join('\n')).toContain('inference table none (the inference log is off)');
    } finally {
      await app.close();
    }
  });

  it('refuses a model package that is not Approved', async () => {
    sageMaker.on(DescribeModelPackageCommand).resolves({ ModelApprovalStatus: 'Rejected', CustomerMetadataProperties: { runId: 'run-42' } });

    await expect(start()).rejects.toThrow(`model package ${PACKAGE} is Rejected in the registry: only an Approved version is served (approve it, or roll out an approved one)`);
  });

  it('refuses a package that registers another archive than the pod was given', async () => {
    await expect(start({ modelDataUrl: 's3://ps-artifacts/training/other/output/model.tar.gz' })).rejects.toThrow(
      `model package ${PACKAGE} registers ${MODEL_URI}, but this pod was given s3://ps-artifacts/training/other/output/model.tar.gz: the two pod annotations name different models`,
    );
  });

  it('names the S3 object when the gold run\'s reference prices are missing (NoSuchKey)', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));

    await expect(start()).rejects.toThrow(`reference prices of run run-42 (s3://${GOLD}/${REFERENCES_KEY}) were not read: NoSuchKey: The specified key does not exist.`);
  });

  it('names the call and the denial when the role may not describe the package', async () => {
    sageMaker.on(DescribeModelPackageCommand).rejects(Object.assign(new Error('not authorized to perform: sagemaker:DescribeModelPackage'), { name: 'AccessDeniedException' }));

    await expect(start()).rejects.toThrow(`DescribeModelPackage ${PACKAGE} failed: AccessDeniedException: not authorized to perform: sagemaker:DescribeModelPackage`);
  });

  it('refuses a model trained on another feature list, before listening', async () => {
    const other = join(root, 'other-model');
    mkdirSync(other, { recursive: true });
    await trainXgboost({
      trainCsv: await (async () => {
        await writeLabeledCsv(makeSyntheticData(60, { numFeatures: 5, seed: 3 }), join(root, 'five.csv'));
        return join(root, 'five.csv');
      })(),
      hyperparameters: { objective: 'multi:softprob', num_class: '3', num_round: '2', seed: '1' },
      workDir: join(root, 'train-five'),
      modelOut: join(other, 'xgboost-model'),
    });

    await expect(start({ modelDir: other, modelFile: join(other, 'xgboost-model') })).rejects.toThrow(`the model in ${other} expects 5 features, /predict computes ${GOLD_FEATURES.length}: it was trained on a different feature list`);
  });

  it('serves with reference prices from a file and names the model by its content when no package is given', async () => {
    const file = join(root, 'reference_prices.json');
    writeFileSync(file, JSON.stringify(REFERENCES));
    const config = readAwsServeConfig({ PRICESENSE_MODEL_DIR: modelDir, AWS_DEFAULT_REGION: 'eu-west-1' }, { referencePricesFile: file });
    const app = await startAwsServe({ config, port: 0 });
    try {
      expect(app.modelVersion).toMatch(/^sha256:[0-9a-f]{12}$/);
      expect(sageMaker).toHaveReceivedCommandTimes(DescribeModelPackageCommand, 0);
      expect((await predict(app, validBasket({ CUST_CODE: '' }))).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
