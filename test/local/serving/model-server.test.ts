import { afterEach, describe, expect, it } from 'vitest';

import { parseCsvPredictions, pythonFloatRepr, startModelServer, type ModelServer } from '../../../local/serving/model-server.js';
import { softmax, stumpModel } from '../xgboost/tiny-models.js';

const v1 = { model: stumpModel([0, 1, 2], [2, 1, 0]), version: 'v1' };
const v2 = { model: stumpModel([1, 1, 1], [0, 3, 0]), version: 'v2' };
const m = (values: number[]): number[] => values.map((v) => Math.fround(v + 0.5));

describe('model server: SageMaker container contract', () => {
  let server: ModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const invoke = (body: string, headers: Record<string, string> = { 'Content-Type': 'text/csv' }): Promise<Response> =>
    fetch(`${server!.url}/invocations`, { method: 'POST', body, headers });

  it('binds 127.0.0.1 on an ephemeral port by default', async () => {
    server = await startModelServer();

    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers /ping with 503 before a model is loaded and 200 with its version after', async () => {
    server = await startModelServer();
    const before = await fetch(`${server.url}/ping`);

    server.swapModel(v1);
    const after = await fetch(`${server.url}/ping`);

    expect(before.status).toBe(503);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-model-version')).toBe('v1');
  });

  it('returns class probabilities for CSV rows in the container text/csv format', async () => {
    server = await startModelServer({ model: v1 });

    const response = await invoke('0.2,7\n0.9,\n');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv');
    expect(response.headers.get('x-model-version')).toBe('v1');
    const left = softmax(m([0, 1, 2])).map(pythonFloatRepr).join(', ');
    const right = softmax(m([2, 1, 0])).map(pythonFloatRepr).join(', ');
    expect(await response.text()).toBe(`[${left}],[${right}]`);
  });

  it('sends a missing feature down the default branch', async () => {
    server = await startModelServer({ model: v1 });

    const rows = parseCsvPredictions(await (await invoke(',3\n')).text());

    expect(rows).toEqual([softmax(m([0, 1, 2]))]);
  });

  it('writes one line per row in batch-transform mode', async () => {
    server = await startModelServer({ model: v1, batchOutput: true });

    const text = await (await invoke('0.2,1\n0.9,1\n')).text();

    expect(text.split('\n')).toHaveLength(3);
    expect(parseCsvPredictions(text)).toEqual([softmax(m([0, 1, 2])), softmax(m([2, 1, 0]))]);
  });

  it('returns predicted_label and probabilities for Accept: application/json', async () => {
    server = await startModelServer({ model: v1 });

    const response = await invoke('0.2,1\n', { 'Content-Type': 'text/csv', Accept: 'application/json' });

    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ predictions: [{ predicted_label: 2, probabilities: softmax(m([0, 1, 2])) }] });
  });

  it('rejects a non-CSV content type with 415 naming the type', async () => {
    server = await startModelServer({ model: v1 });

    const response = await invoke('{}', { 'Content-Type': 'application/json' });

    expect(response.status).toBe(415);
    expect(await response.text()).toContain('Content-Type "application/json" is not supported: expected text/csv');
  });

  it('rejects a row with the wrong column count with 400 naming the expected count', async () => {
    server = await startModelServer({ model: v1 });

    const response = await invoke('1,2\n1,2,3\n');

    expect(response.status).toBe(400);
    expect(await response.text()).toBe('row 2 has 3 columns, expected 2 features (no label column, no header)\n');
  });

  it('rejects a non-numeric value with 400 naming row and column', async () => {
    server = await startModelServer({ model: v1 });

    const response = await invoke('1,x1\n');

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('non-numeric value "x1" at row 1 column 2');
  });

  it('rejects an empty body with 400', async () => {
    server = await startModelServer({ model: v1 });

    const response = await invoke('');

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('empty request body');
  });

  it('rejects a body over 6 MB with 413', async () => {
    server = await startModelServer({ model: v1 });

    const response = await invoke('1,2\n'.repeat(1_700_000));

    expect(response.status).toBe(413);
    expect(await response.text()).toContain('larger than 6291456 bytes');
  });

  it('answers 503 to an invocation while no model is loaded', async () => {
    server = await startModelServer();

    const response = await invoke('1,2\n');

    expect(response.status).toBe(503);
  });

  it('rejects an unsupported Accept type with 406', async () => {
    server = await startModelServer({ model: v1 });

    const response = await invoke('1,2\n', { 'Content-Type': 'text/csv', Accept: 'image/png' });

    expect(response.status).toBe(406);
  });

  it('rejects GET /invocations with 405 and an Allow header', async () => {
    server = await startModelServer({ model: v1 });

    const response = await fetch(`${server.url}/invocations`);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('answers 404 for an unknown path, listing the routes', async () => {
    server = await startModelServer({ model: v1, routes: { '/metrics': (_req, res) => res.end('m') } });

    const response = await fetch(`${server.url}/nope`);

    expect(response.status).toBe(404);
    expect(await response.text()).toContain('expected one of /ping, /invocations, /execution-parameters, /metrics');
  });

  it('answers 500 when an added route throws, and keeps serving', async () => {
    server = await startModelServer({ model: v1 });
    server.addRoute('/broken', () => {
      throw new Error('route bug');
    });

    const broken = await fetch(`${server.url}/broken`);
    const ping = await fetch(`${server.url}/ping`);

    expect([broken.status, await broken.text(), ping.status]).toEqual([500, 'internal error: route bug\n', 200]);
  });

  it('tells batch transform its execution parameters as the container does', async () => {
    server = await startModelServer({ model: v1 });

    const parameters = await (await fetch(`${server.url}/execution-parameters`)).json();

    expect(parameters).toEqual({ MaxConcurrentTransforms: expect.any(Number), BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 6 });
  });

  it('serves routes given at start and added later on the same port', async () => {
    server = await startModelServer({ model: v1, routes: { '/metrics': (_req, res) => res.end('metrics') } });
    server.addRoute('/predict', (_req, res) => res.end(`predict ${server!.currentVersion()}`));

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const predict = await (await fetch(`${server.url}/predict`)).text();

    expect([metrics, predict]).toEqual(['metrics', 'predict v1']);
  });

  it('never drops or mixes a request while models are swapped under load', async () => {
    server = await startModelServer({ model: v1 });
    const expected = { v1: [softmax(m([0, 1, 2]))], v2: [softmax(m([1, 1, 1]))] };
    let flips = 0;
    const swapper = setInterval(() => {
      flips += 1;
      server!.swapModel(flips % 2 === 0 ? v1 : v2);
    }, 1);

    const responses = await Promise.all(
      Array.from({ length: 400 }, async () => {
        const response = await invoke('0.1,5\n');
        return { status: response.status, version: response.headers.get('x-model-version') as 'v1' | 'v2', body: await response.text() };
      }),
    );
    clearInterval(swapper);

    expect(responses.filter((r) => r.status !== 200)).toEqual([]);
    expect(responses.filter((r) => JSON.stringify(parseCsvPredictions(r.body)) !== JSON.stringify(expected[r.version]))).toEqual([]);
    expect(new Set(responses.map((r) => r.version)).size).toBe(2);
  });
});

describe('pythonFloatRepr', () => {
  it('prints floats as Python repr does', () => {
    expect([0.5, 1, 0, 1e-5, 1.5e-7, 0.0001, 0.30000001192092896].map(pythonFloatRepr)).toEqual(['0.5', '1.0', '0.0', '1e-05', '1.5e-07', '0.0001', '0.30000001192092896']);
  });
});

describe('model server under random input', () => {
  it('answers every random request with a status below 500 and stays up', async () => {
    const fc = await import('fast-check');
    const server = await startModelServer({ model: v1 });
    try {
      const cell = fc.oneof(fc.constant(''), fc.double().map(String), fc.string({ maxLength: 6 }), fc.constantFrom('nan', 'inf', '1e400', '-0', '.5', '5.', '1e', '--1'));
      const body = fc.oneof(
        fc.array(fc.array(cell, { maxLength: 4 }).map((cells) => cells.join(',')), { maxLength: 5 }).map((lines) => lines.join('\n')),
        fc.string({ maxLength: 40 }),
      );
      const contentType = fc.constantFrom('text/csv', 'text/csv; charset=utf-8', 'application/json', '', 'TEXT/CSV', 'text/plain');
      const accept = fc.constantFrom('text/csv', 'application/json', '*/*', 'image/png', '', 'application/json;q=0.5, text/csv');
      await fc.assert(
        fc.asyncProperty(body, contentType, accept, async (text, type, acceptValue) => {
          const headers: Record<string, string> = {};
          if (type) headers['Content-Type'] = type;
          if (acceptValue) headers['Accept'] = acceptValue;
          const response = await fetch(`${server.url}/invocations`, { method: 'POST', body: text, headers });
          await response.arrayBuffer();
          return response.status < 500;
        }),
        { numRuns: 300, seed: 42 },
      );
      expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
