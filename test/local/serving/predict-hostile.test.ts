/**
 * Issue 14, case 5: a 10 KB body of deeply nested JSON made /predict answer 500 (a stack overflow
 * while describing the bad value). Hostile bodies — deep nesting, huge numbers, huge arrays and
 * objects — get a 400 (or 413 above the size limit) from the server and the Lambda alike, and a
 * bounded fuzz of such bodies over loopback finds no 5xx.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployModelLocally } from '../../../local/serving/local-deployment.js';
import { startServe, type ServeApp } from '../../../local/serving/serve-app.js';
import { jsonNestingDepth, MAX_JSON_DEPTH, predictBasket } from '../../../tasks/core/predict/predict-basket.js';
import { TEST_REFERENCE_PRICES, validBasket, writeStumpModel } from './serving-fixtures.js';

let stateDir: string;
let app: ServeApp;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function send(body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}/predict`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Named hostile bodies, each under the 256 KiB body limit. */
const HOSTILE: Array<[string, string]> = [
  ['10 KB of nested arrays', nested(5000)],
  ['100 KB of nested arrays', nested(50_000)],
  ['10 KB of nested objects', deepObject(2000)],
  ['nesting inside a field', JSON.stringify(validBasket()).replace('"STORE_CODE":', `"STORE_CODE":${nested(3000)},"x":`)],
  ['nesting inside a line item', JSON.stringify(validBasket()).replace('"SPEND":', `"SPEND":${deepObject(1000)},"y":`)],
  ['a huge number', JSON.stringify(validBasket()).replace(/"SHOP_HOUR":\d+/, `"SHOP_HOUR":1${'0'.repeat(100_000)}`)],
  ['1e999', JSON.stringify(validBasket()).replace(/"QUANTITY":\d+/, '"QUANTITY":1e999')],
  ['a huge items array of numbers', JSON.stringify(validBasket({ items: Array.from({ length: 50_000 }, () => 0) }))],
  ['a huge array in a field', JSON.stringify(validBasket({ CUST_CODE: Array.from({ length: 100_000 }, () => 0) }))],
  ['an object of 10,000 keys', JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])))],
  ['a 200 KB string field', JSON.stringify(validBasket({ STORE_CODE: 'x'.repeat(200_000) }))],
];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'predict-hostile-'));
  await deployModelLocally({ stateDir, endpointName: 'hostile-endpoint', modelPath: writeStumpModel([[1, 0], [0, 1], [0, 0]]), version: 'hostile/1' });
  app = await startServe({ stateDir, port: 0, endpointName: 'hostile-endpoint', referencePrices: TEST_REFERENCE_PRICES });
});

afterAll(async () => {
  agent.destroy();
  await app?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('jsonNestingDepth', () => {
  it('counts brackets outside strings only and stops just above the limit', () => {
    expect([jsonNestingDepth('{"a":[1,{"b":"[[[["}]}', 8), jsonNestingDepth('"\\"[["', 8), jsonNestingDepth('"\\\\"[[', 8), jsonNestingDepth(nested(1_000_000), 8)]).toEqual([3, 0, 2, 9]);
  });
});

describe('/predict on hostile bodies', () => {
  it.each(HOSTILE)('server: %s -> 4xx with a message', async (_name, body) => {
    const res = await send(body);
    const parsed = JSON.parse(res.text) as { error?: string; message?: string };
    expect({ status: res.status, error: parsed.error, hasMessage: (parsed.message ?? '').length > 0, short: res.text.length < 4096 }).toEqual({
      status: 400,
      error: 'InvalidRequest',
      hasMessage: true,
      short: true,
    });
  });

  it('names the nesting limit for deep bodies', async () => {
    const res = await send(nested(5000));
    expect(JSON.parse(res.text).message).toBe(
      `body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep: expected one basket object whose items list holds flat line objects`,
    );
  });

  it.each(HOSTILE)('core shared with the Lambda: %s -> 400', async (_name, body) => {
    const outcome = await predictBasket({ history: { get: async () => undefined }, scorer: { score: async () => ({ probabilities: [0.2, 0.3, 0.5], modelVersion: 'v' }) }, recorder: { record: async () => {} } } as never, body);
    expect(outcome.status).toBe(400);
  });

  it('a bounded fuzz of nested and oversized values finds no 5xx and the server still answers', async () => {
    const hostileValue = fc.oneof(
      fc.integer({ min: 9, max: 20_000 }).map((depth) => nested(depth)),
      fc.integer({ min: 9, max: 5000 }).map((depth) => deepObject(depth)),
      fc.integer({ min: 300, max: 20_000 }).map((digits) => `9${'9'.repeat(digits)}`),
      fc.integer({ min: 1000, max: 30_000 }).map((n) => JSON.stringify(Array.from({ length: n }, () => 1))),
      fc.constantFrom('1e999', '-1e999', '1e-999', '-0', '0.0000000000000000000000001'),
    );
    const fields = [...Object.keys(validBasket()), 'items[0].SPEND', 'items[0].QUANTITY', 'body'];
    const samples = fc.sample(fc.tuple(fc.constantFrom(...fields), hostileValue), { numRuns: 300, seed: 14 });
    const statuses = new Map<number, number>();
    for (const [field, value] of samples) {
      const basket = JSON.stringify(validBasket());
      const body = field === 'body' ? value : field.startsWith('items[0].')
        ? basket.replace(new RegExp(`"${field.slice(9)}":[^,}]+`), `"${field.slice(9)}":${value}`)
        : basket.replace(new RegExp(`"${field}":("[^"]*"|[^,}]+)`), `"${field}":${value}`);
      const res = await send(body);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect({ fiveHundreds: [...statuses.keys()].filter((status) => status >= 500), all: [...statuses.values()].reduce((a, b) => a + b, 0) }).toEqual({ fiveHundreds: [], all: 300 });
    expect((await send(JSON.stringify(validBasket()))).status).toBe(200);
  });
});
