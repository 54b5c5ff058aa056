/**
 * Fuzz: 10,000+ random and malformed /predict requests against the real HTTP server. Every one
 * must get a 200 or a 4xx whose JSON message names a problem, never a 5xx or a dropped
 * connection; a mutated field must be named in the message; the server must still answer after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deployModelLocally } from '../../../local/serving/local-deployment.js';
import { startServe, type ServeApp } from '../../../local/serving/serve-app.js';
import { TEST_REFERENCE_PRICES, validBasket, writeStumpModel } from './serving-fixtures.js';

let stateDir: string;
let app: ServeApp;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function send(body: string | Buffer, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}/predict`, { method: 'POST', agent, headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const BASKET_FIELDS = Object.keys(validBasket());
const ITEM_FIELDS = ['PROD_CODE', 'PROD_CODE_10', 'PROD_CODE_20', 'PROD_CODE_30', 'PROD_CODE_40', 'QUANTITY', 'SPEND'];
const oddValue = fc.oneof(
  fc.constantFrom(null, '', ' ', 'XX', -1, 0, 1.5, 1e308, -0, 'D00001', '99999999999999999999', true, [], {}),
  fc.string({ maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

type Case = { body: string | Buffer; field?: string };

const cases: fc.Arbitrary<Case> = fc.oneof(
  // any JSON document
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ body: JSON.stringify(value) ?? 'null' })),
  // text that is rarely JSON, and raw bytes
  fc.string({ maxLength: 200 }).map((body) => ({ body })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ body: Buffer.from(bytes) })),
  // a valid basket with one basket-level field replaced or removed
  fc.tuple(fc.constantFrom(...BASKET_FIELDS), fc.option(oddValue, { nil: undefined })).map(([field, value]) => {
    const basket = validBasket();
    if (value === undefined) delete basket[field];
    else basket[field] = value;
    return { body: JSON.stringify(basket), field };
  }),
  // a valid basket with one field of one line replaced or removed
  fc.tuple(fc.constantFrom(...ITEM_FIELDS), fc.option(oddValue, { nil: undefined })).map(([field, value]) => {
    const basket = validBasket();
    const items = basket.items as Array<Record<string, unknown>>;
    if (value === undefined) delete items[1]![field];
    else items[1]![field] = value;
    return { body: JSON.stringify(basket), field: `items[1].${field}` };
  }),
  // item lists from empty to far too long
  fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom(999, 1000, 1001, 2500)).map((n) => {
    const line = (validBasket().items as unknown[])[0];
    return { body: JSON.stringify(validBasket({ items: Array.from({ length: n }, () => line) })), field: n === 0 || n > 1000 ? 'items' : undefined };
  }),
  // truncated valid JSON
  fc.integer({ min: 1, max: 300 }).map((cut) => ({ body: JSON.stringify(validBasket()).slice(0, cut) })),
);

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'predict-fuzz-'));
  await deployModelLocally({ stateDir, endpointName: 'fuzz-endpoint', modelPath: writeStumpModel([[1, 0], [0, 1], [0, 0]]), version: 'fuzz/1' });
  app = await startServe({ stateDir, port: 0, endpointName: 'fuzz-endpoint', referencePrices: TEST_REFERENCE_PRICES });
});

afterAll(async () => {
  agent.destroy();
  await app?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

it('answers 10,000 random and malformed requests with 200 or a 4xx naming the problem, never a 5xx', async () => {
  const seen = { ok: 0, clientError: 0 };
  const failures: string[] = [];
  const samples = fc.sample(cases, { numRuns: 10_000, seed: 7 });
  let next = 0;
  // 16 keep-alive clients at once: the property is per request, order does not matter.
  const worker = async () => {
    while (next < samples.length) {
      const { body, field } = samples[next++]!;
      const res = await send(body);
      const shown = `${String(body).slice(0, 120)} -> ${res.status} ${res.text.slice(0, 200)}`;
      let parsed: { message?: string; label?: string };
      try {
        parsed = JSON.parse(res.text) as typeof parsed;
      } catch {
        failures.push(`not JSON: ${shown}`);
        continue;
      }
      if (res.status === 200) {
        seen.ok += 1;
        if (!['LA', 'MM', 'UM'].includes(String(parsed.label))) failures.push(`bad label: ${shown}`);
      } else if (res.status >= 400 && res.status < 500) {
        seen.clientError += 1;
        if (!parsed.message) failures.push(`no message: ${shown}`);
        else if (field !== undefined && res.status === 400 && !parsed.message.includes(field)) failures.push(`message does not name ${field}: ${shown}`);
      } else failures.push(`status ${res.status}: ${shown}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  expect(failures.slice(0, 10)).toEqual([]);
  expect(seen.ok + seen.clientError).toBe(10_000);
  expect(seen.ok).toBeGreaterThan(100);
  expect(seen.clientError).toBeGreaterThan(5000);
  expect((await send(JSON.stringify(validBasket()))).status).toBe(200);
});
