/** The documented examples are real: the /predict body parses, the mock config loads, the feature order is the model's. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMockConfig } from '../../local/asl/mock-config/index.js';
import { parseBasketRequest } from '../../tasks/core/predict/basket-request.js';
import { GOLD_FEATURES } from '../../workflow/gold-features.js';

const docs = join(import.meta.dirname, '..', '..', 'docs');

describe('docs/examples', () => {
  it('predict-request.json is a basket /predict accepts', () => {
    const basket = parseBasketRequest(JSON.parse(readFileSync(join(docs, 'examples', 'predict-request.json'), 'utf8')));

    expect([basket.storeRegion, basket.items.length, basket.customerId]).toEqual(['E02', 3, 'CUST0000472158']);
  });

  it('mock-config.json is a MockConfigFile pricesense exec loads', () => {
    const config = loadMockConfig(JSON.parse(readFileSync(join(docs, 'examples', 'mock-config.json'), 'utf8')));

    expect(Object.keys(config.stateMachines)).toEqual(['pricesense-pipeline']);
  });

  it('TESTING.md lists the /invocations features in the model order', () => {
    const text = readFileSync(join(docs, 'TESTING.md'), 'utf8');
    const listed = [...text.matchAll(/^\| (\d+) \| `([a-z0-9_]+)` \|/gm)].map((match) => match[2]);

    expect(listed).toEqual([...GOLD_FEATURES]);
  });
});
