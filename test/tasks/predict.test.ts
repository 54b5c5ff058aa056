import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordCommand, SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, DescribeModelCommand, DescribeModelPackageCommand, ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Body } from './fixtures.js';
import { GOLD_FEATURES } from '../../workflow/gold-features.js';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validBasket } from '../local/serving/serving-fixtures.js';

const featureStore = mockClient(SageMakerFeatureStoreRuntimeClient);
const runtime = mockClient(SageMakerRuntimeClient);
const dynamodb = mockClient(DynamoDBClient);
const sageMaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const PACKAGE = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/pricesense-basket-price-sensitivity/3';
let handler: (event: APIGatewayProxyEvent) => Promise<{ statusCode: number; body: string; headers?: Record<string, unknown> }>;

beforeAll(async () => {
  process.env.ENDPOINT_NAME = 'pricesense-basket-price-sensitivity';
  process.env.INFERENCE_TABLE_NAME = 'inference-log';
  process.env.FEATURE_GROUP_NAME = 'pricesense-customer-history';
  process.env.GOLD_BUCKET = 'ps-gold';
  process.env.MODEL_PACKAGE_GROUP_NAME = 'pricesense-basket-price-sensitivity';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  ({ handler } = (await import('../../tasks/predict.js')) as unknown as { handler: typeof handler });
});

beforeEach(() => {
  featureStore.reset();
  runtime.reset();
  dynamodb.reset();
  featureStore.on(GetRecordCommand).resolves({});
  runtime.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('0.1,0.2,0.7') as never, InvokedProductionVariant: 'AllTraffic' });
  dynamodb.on(PutItemCommand).resolves({});
  sageMaker.reset();
  s3.reset();
  // The endpoint serves version 3 (run-7) while version 4 (run-8) is already Approved: /predict must follow the endpoint.
  sageMaker.on(DescribeEndpointCommand).resolves({ EndpointName: 'pricesense-basket-price-sensitivity', EndpointConfigName: 'ps-epc-run-7', EndpointStatus: 'Updating' });
  sageMaker.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'ps-epc-run-7' }).resolves({ ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'ps-serve-run-7' }] });
  sageMaker.on(DescribeModelCommand, { ModelName: 'ps-serve-run-7' }).resolves({ PrimaryContainer: { ModelPackageName: PACKAGE } });
  sageMaker.on(DescribeModelPackageCommand, { ModelPackageName: PACKAGE }).resolves({ CustomerMetadataProperties: { runId: 'run-7' } });
  sageMaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: PACKAGE.replace(/\/3$/, '/4') }] as never });
  sageMaker.on(DescribeModelPackageCommand, { ModelPackageName: PACKAGE.replace(/\/3$/, '/4') }).resolves({ CustomerMetadataProperties: { runId: 'run-8' } });
  s3.on(GetObjectCommand, { Bucket: 'ps-gold', Key: 'gold/run_id=run-7/serving/reference_prices.json' }).callsFake(() => ({
    Body: s3Body(JSON.stringify({ product: { PRD0900001: 1.5 }, group: {} })),
  }));
});

const event = (body: string | null): APIGatewayProxyEvent => ({ body, isBase64Encoded: false }) as APIGatewayProxyEvent;

describe('predict handler (API Gateway proxy)', () => {
  it("reads the reference prices of the gold run of the model the endpoint serves, not of a newer Approved version", async () => {
    await handler(event(JSON.stringify(validBasket({ BASKET_ID: 6 }))));
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'ps-gold', Key: 'gold/run_id=run-7/serving/reference_prices.json' });
  });

  it('answers 200 with the label, probabilities and the endpoint variant as model version', async () => {
    const res = await handler(event(JSON.stringify(validBasket({ BASKET_ID: 5 }))));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ basketId: '5', label: 'UM', probabilities: { LA: 0.1, MM: 0.2, UM: 0.7 }, modelVersion: 'pricesense-basket-price-sensitivity/AllTraffic' });
  });

  it('reads the customer history with GetRecord on the configured feature group', async () => {
    await handler(event(JSON.stringify(validBasket({ CUST_CODE: 'CUST0000000777' }))));
    expect(featureStore).toHaveReceivedCommandWith(GetRecordCommand, { FeatureGroupName: 'pricesense-customer-history', RecordIdentifierValueAsString: 'CUST0000000777' });
  });

  it('sends every gold feature as one CSV row to the endpoint', async () => {
    await handler(event(JSON.stringify(validBasket({ CUST_CODE: null }))));
    const body = new TextDecoder().decode(runtime.commandCalls(InvokeEndpointCommand)[0]!.args[0].input.Body as Uint8Array);
    expect(body.split(',')).toHaveLength(GOLD_FEATURES.length);
  });

  it('records the inference with PutItem on the inference table', async () => {
    const res = await handler(event(JSON.stringify(validBasket({ BASKET_ID: 9 }))));
    const item = dynamodb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(item.TableName).toBe('inference-log');
    expect(item.Item).toMatchObject({ inferenceId: { S: JSON.parse(res.body).inferenceId }, basketId: { S: '9' }, label: { S: 'UM' } });
  });

  it('answers a bad field with 400 naming it, without calling the model', async () => {
    const res = await handler(event(JSON.stringify(validBasket({ STORE_REGION: 'X1' }))));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).message).toBe('STORE_REGION expected a region code like "E01" (E, N, S or W and two digits), got "X1"');
    expect(runtime).not.toHaveReceivedCommand(InvokeEndpointCommand);
  });

  it('answers 503 when the endpoint fails, naming the endpoint', async () => {
    runtime.on(InvokeEndpointCommand).rejects(Object.assign(new Error('Endpoint not found'), { name: 'ValidationError' }));
    const res = await handler(event(JSON.stringify(validBasket())));
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body).message).toContain('endpoint pricesense-basket-price-sensitivity did not score the basket');
  });

  it('answers an empty body with 400', async () => {
    expect((await handler(event(null))).statusCode).toBe(400);
  });
});
