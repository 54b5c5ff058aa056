import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSageMakerEmulators, MAX_INVOKE_PAYLOAD_BYTES } from '../../../../local/aws/sagemaker/index.js';
import { makeStateDir, pollUntilSettled, ROLE_ARN, router, trainTinyModel, XGBOOST_IMAGE } from './helpers.js';

const ENDPOINT = 'ps-runtime-endpoint';

describe('InvokeEndpoint', () => {
  let stateDir: string;
  let cleanup: () => void;
  let call: ReturnType<typeof router>;
  const invoke = (input: Record<string, unknown>) => call('sagemakerruntime', 'InvokeEndpoint', { EndpointName: ENDPOINT, ContentType: 'text/csv', ...input });

  beforeAll(async () => {
    ({ stateDir, cleanup } = makeStateDir());
    call = router(createSageMakerEmulators({ stateDir }));
    const modelDataUrl = await trainTinyModel(stateDir, 'ps-train-runtime');
    await call('sagemaker', 'CreateModel', { ModelName: 'ps-model-runtime', PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: modelDataUrl }, ExecutionRoleArn: ROLE_ARN });
    await call('sagemaker', 'CreateEndpointConfig', {
      EndpointConfigName: 'ps-epc-runtime',
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'ps-model-runtime', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
    });
    await call('sagemaker', 'CreateEndpoint', { EndpointName: ENDPOINT, EndpointConfigName: 'ps-epc-runtime' });
    await pollUntilSettled(() => call('sagemaker', 'DescribeEndpoint', { EndpointName: ENDPOINT }), 'EndpointStatus', ['Creating']);
  });
  afterAll(() => cleanup());

  it('returns one CSV line of class probabilities per row and the variant', async () => {
    const response = await invoke({ Body: new TextEncoder().encode('0.2,0.5,3,1\n2.7,0.1,8,\n') });

    const lines = new TextDecoder().decode(response.Body as Uint8Array).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const first = lines[0]!.split(',').map(Number);
    const second = lines[1]!.split(',').map(Number);
    expect(first.indexOf(Math.max(...first))).toBe(0);
    expect(second.indexOf(Math.max(...second))).toBe(2);
    expect(response).toMatchObject({ ContentType: 'text/csv; charset=utf-8', InvokedProductionVariant: 'AllTraffic' });
  });

  it('returns the JSON format for Accept application/json', async () => {
    const response = await invoke({ Body: '1.5,0.5,3,1', Accept: 'application/json' });

    const parsed = JSON.parse(new TextDecoder().decode(response.Body as Uint8Array)) as { predictions: Array<{ score: number[] }> };
    expect(parsed.predictions).toHaveLength(1);
    expect(parsed.predictions[0]!.score.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(response.ContentType).toBe('application/json');
  });

  it('answers a row with the wrong column count with ModelError naming the expected count', async () => {
    await expect(invoke({ Body: '1,2,3' })).rejects.toMatchObject({
      name: 'ModelError',
      OriginalStatusCode: 400,
      OriginalMessage: 'Row 1 of the request body has 3 columns; expected 4 features (no label, no header)',
    });
  });

  it('answers a non-numeric value with ModelError naming row and column', async () => {
    await expect(invoke({ Body: '1,2,3,4\n1,abc,3,4' })).rejects.toMatchObject({
      name: 'ModelError',
      OriginalMessage: 'Row 2, column 2 of the request body is not a number: "abc"',
    });
  });

  it('answers an empty body with ModelError', async () => {
    await expect(invoke({ Body: '' })).rejects.toMatchObject({ name: 'ModelError', OriginalMessage: expect.stringContaining('empty') });
  });

  it('answers a non-CSV content type with ModelError 415', async () => {
    await expect(invoke({ Body: '{}', ContentType: 'application/json' })).rejects.toMatchObject({ name: 'ModelError', OriginalStatusCode: 415 });
  });

  it('rejects a body over 6 MB with ValidationError', async () => {
    await expect(invoke({ Body: new Uint8Array(MAX_INVOKE_PAYLOAD_BYTES + 1) })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('answers an unknown endpoint with ValidationError', async () => {
    await expect(invoke({ EndpointName: 'nope', Body: '1,2,3,4' })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Endpoint nope of account 000000000000 not found.',
    });
  });
});
