import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEmulator } from '../../../local/aws/dynamodb.js';
import { createFeatureStore } from '../../../local/aws/feature-store/index.js';
import { deployModelLocally } from '../../../local/serving/local-deployment.js';
import { DEFAULT_INFERENCE_TABLE, startServe, type ServeApp } from '../../../local/serving/serve-app.js';
import { CUSTOMER_FEATURE_GROUP } from '../../../workflow/resource-names.js';
import { TEST_REFERENCE_PRICES, validBasket, writeStumpModel } from './serving-fixtures.js';

const ENDPOINT = 'serve-test-endpoint';
let stateDir: string;
let app: ServeApp;

async function post(path: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const res = await fetch(`${app.url}${path}`, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text(), version: res.headers.get('x-model-version') };
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'serve-app-'));
  // A card holder leans UM, no card leans LA.
  await deployModelLocally({ stateDir, endpointName: ENDPOINT, modelPath: writeStumpModel([[2, -1], [0, 0], [-1, 2]]), version: 'basket-model/1' });
  app = await startServe({ stateDir, port: 0, endpointName: ENDPOINT, pollMs: 20, referencePrices: TEST_REFERENCE_PRICES });
  const store = createFeatureStore(stateDir);
  await store.runtime.call('PutRecord', {
    FeatureGroupName: CUSTOMER_FEATURE_GROUP,
    Record: [
      { FeatureName: 'customer_id', ValueAsString: 'CUST0000000001' },
      { FeatureName: 'event_time', ValueAsString: '2006-04-08T23:59:59Z' },
      { FeatureName: 'prior_baskets', ValueAsString: '4' },
      { FeatureName: 'prior_spend_mean', ValueAsString: '12.5' },
      { FeatureName: 'prior_items_mean', ValueAsString: '5' },
      { FeatureName: 'prior_share_la', ValueAsString: '0.25' },
      { FeatureName: 'prior_share_mm', ValueAsString: '0.25' },
      { FeatureName: 'prior_share_um', ValueAsString: '0.5' },
      { FeatureName: 'last_shop_week', ValueAsString: '200606' },
      { FeatureName: 'prior_price_ratio_mean', ValueAsString: '0.1' },
    ],
  });
});

afterAll(async () => {
  await app?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('pricesense serve', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(new URL(app.url).hostname).toBe('127.0.0.1');
  });

  it('answers /ping with the version the endpoint record says is live', async () => {
    const res = await fetch(`${app.url}/ping`);
    expect([res.status, res.headers.get('x-model-version')]).toEqual([200, 'basket-model/1']);
  });

  it('scores a basket on /predict with the label of the largest probability and the model version', async () => {
    const res = await post('/predict', JSON.stringify(validBasket({ BASKET_ID: '994100000000042' })));
    const body = JSON.parse(res.text);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ basketId: '994100000000042', label: 'UM', modelVersion: 'basket-model/1' });
    expect(body.probabilities.UM).toBeGreaterThan(body.probabilities.LA);
    expect(body.probabilities.LA + body.probabilities.MM + body.probabilities.UM).toBeCloseTo(1, 6);
    expect(body.inferenceId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('labels a basket without a loyalty card by the no-card branch (LA)', async () => {
    const res = await post('/predict', JSON.stringify(validBasket({ CUST_CODE: '' })));
    expect(JSON.parse(res.text).label).toBe('LA');
  });

  it('records the inference with the features and the customer history it used', async () => {
    const res = await post('/predict', JSON.stringify(validBasket({ BASKET_ID: 77 })));
    const { inferenceId } = JSON.parse(res.text);
    await app.recorder.flush();
    const item = await new DynamoDbEmulator(stateDir).call('GetItem', { TableName: DEFAULT_INFERENCE_TABLE, Key: { inferenceId: { S: inferenceId } } });
    const recorded = item.Item as Record<string, { S?: string; M?: Record<string, { N: string }> }>;
    expect(recorded.basketId?.S).toBe('77');
    expect(recorded.label?.S).toBe('UM');
    expect(recorded.features?.M?.prior_baskets?.N).toBe('4');
    expect(recorded.features?.M?.prior_spend_per_item?.N).toBe('2.5');
  });

  it('names the bad field in a 400', async () => {
    const res = await post('/predict', JSON.stringify(validBasket({ SHOP_HOUR: 25 })));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).message).toBe('SHOP_HOUR expected a whole number from 0 to 23, got 25');
  });

  it('answers malformed JSON with a 400 naming the problem', async () => {
    const res = await post('/predict', '{"SHOP_WEEK": 2006');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).message).toMatch(/^body is not valid JSON/);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await post('/predict', JSON.stringify(validBasket({ pad: 'x'.repeat(300 * 1024) })));
    expect(res.status).toBe(413);
  });

  it('refuses a non-JSON content type with 415', async () => {
    const res = await post('/predict', 'a,b', { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(415);
  });

  it('exposes request counts, the latency histogram and the model version on /metrics', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/^pricesense_http_requests_total\{route="\/predict",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^pricesense_http_requests_total\{route="\/predict",status="400"\} [1-9]\d*$/m);
    expect(text).toMatch(/^pricesense_http_request_duration_seconds_bucket\{route="\/predict",le="\+Inf"\} [1-9]\d*$/m);
    expect(text).toContain('pricesense_model_info{version="basket-model/1"} 1');
  });

  it('swaps to a newly deployed model without failing requests in flight', async () => {
    const body = JSON.stringify(validBasket());
    const statuses: number[] = [];
    const versions = new Set<string>();
    let stop = false;
    const client = async () => {
      while (!stop) {
        const res = await post('/predict', body);
        statuses.push(res.status);
        if (res.version) versions.add(res.version);
      }
    };
    const until = async (count: number) => {
      while (statuses.length < count) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    const clients = [client(), client(), client(), client()];
    await until(40);
    // The new model flips the card branch to LA.
    await deployModelLocally({ stateDir, endpointName: ENDPOINT, modelPath: writeStumpModel([[-1, 2], [0, 0], [2, -1]]), version: 'basket-model/2' });
    await app.follower.check();
    await until(statuses.length + 40);
    stop = true;
    await Promise.all(clients);
    const after = JSON.parse((await post('/predict', body)).text);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(after).toMatchObject({ modelVersion: 'basket-model/2', label: 'LA' });
    expect(versions.has('basket-model/2')).toBe(true);
  });
});
