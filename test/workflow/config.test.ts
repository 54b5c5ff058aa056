import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../workflow/config.js';

describe('resolveConfig', () => {
  it('returns the seed defaults when nothing is overridden', () => {
    const config = resolveConfig();
    expect(config.thresholds).toEqual({ accuracy: 0.75, macroF1: 0.7, classPrecision: 0.65 });
    expect(config.deployTarget).toBe('endpoint');
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it('merges nested overrides without losing sibling defaults', () => {
    const config = resolveConfig({ training: { hyperparameters: { max_depth: 4 } } });
    expect(config.training.hyperparameters.max_depth).toBe(4);
    expect(config.training.hyperparameters.num_round).toBe(200);
  });

  it('names the field and the bad value of an impossible threshold', () => {
    expect(() => resolveConfig({ thresholds: { accuracy: 1.5 } })).toThrow('thresholds.accuracy must be a number between 0 and 1, got 1.5');
  });

  it('rejects an unknown deploy target and lists the allowed ones', () => {
    expect(() => resolveConfig({ deployTarget: 'lambda' as never })).toThrow('deployTarget must be one of endpoint, eks, none, got "lambda"');
  });

  it('rejects spot training whose MaxWait does not exceed MaxRuntime', () => {
    expect(() => resolveConfig({ training: { maxWaitSeconds: 3600 } })).toThrow('training.maxWaitSeconds (3600) must exceed training.maxRuntimeSeconds (3600)');
  });
});
