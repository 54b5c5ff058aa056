import { describe, expect, it } from 'vitest';
import { synthCacheKey } from './synth.js';

describe('synthCacheKey', () => {
  it('is the same for the same configuration, so test files share one synthesis', () => {
    expect(synthCacheKey({ deployTarget: 'none' })).toBe(synthCacheKey({ deployTarget: 'none' }));
  });

  it('differs between configurations', () => {
    expect(synthCacheKey({})).not.toBe(synthCacheKey({ endpoint: { serverless: { memorySizeInMb: 2048, maxConcurrency: 20 } } }));
  });
});
