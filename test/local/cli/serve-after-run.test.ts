/**
 * `pricesense serve` on the state directory of a real `pricesense run`: with no reference prices
 * given, it finds those of the served model's gold run (endpoint → registered package → runId →
 * `serving/reference_prices.json`, read through the local S3 API) and answers /predict.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeApp } from '../../../local/serving/serve-app.js';

const CLI = join(process.cwd(), 'bin', 'pricesense.mjs');
const root = mkdtempSync(join(tmpdir(), 'pricesense-serve-after-run-'));
const stateDir = join(root, 'state');
let app: ServeApp;

beforeAll(async () => {
  const run = spawnSync(process.execPath, [CLI, 'run', '--rows', '20000', '--state-dir', stateDir, '--json'], { encoding: 'utf8', timeout: 300_000 });
  expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}'), run.stderr.slice(-2000)).toMatchObject({ status: 'SUCCEEDED' });
  app = await startServe({ stateDir, port: 0, pollMs: 50, log: () => {} });
}, 300_000);

afterAll(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('pricesense serve after pricesense run', () => {
  it('answers /predict with the served registry version, using the reference prices of its gold run', async () => {
    const body = readFileSync(join(process.cwd(), 'docs', 'examples', 'predict-request.json'), 'utf8');
    const response = await fetch(`${app.url}/predict`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    const answer = (await response.json()) as { label?: string; modelVersion?: string; probabilities?: Record<string, number> };

    expect([response.status, answer.modelVersion]).toEqual([200, 'pricesense-basket-price-sensitivity/1']);
    expect(['LA', 'MM', 'UM']).toContain(answer.label);
    expect(Object.values(answer.probabilities ?? {}).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
  });
});
