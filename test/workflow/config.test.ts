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
    expect(config.training.hyperparameters.num_round).toBe(1000);
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

  it('rejects a serverless memory size SageMaker does not offer, naming the allowed sizes', () => {
    expect(() => resolveConfig({ endpoint: { serverless: { memorySizeInMb: 1536, maxConcurrency: 10 } } })).toThrow(
      'endpoint.serverless.memorySizeInMb must be one of 1024, 2048, 3072, 4096, 5120, 6144, got 1536',
    );
  });

  it('rejects serverless concurrency above 200', () => {
    expect(() => resolveConfig({ endpoint: { serverless: { memorySizeInMb: 2048, maxConcurrency: 500 } } })).toThrow(
      'endpoint.serverless.maxConcurrency must be a whole number from 1 to 200, got 500',
    );
  });

  it('rejects an autoscaling range whose minimum exceeds its maximum', () => {
    expect(() => resolveConfig({ endpoint: { minInstances: 5, maxInstances: 2 } })).toThrow('endpoint.minInstances (5) must not exceed endpoint.maxInstances (2)');
  });
});

describe('resolveConfig: values that would only fail after training', () => {
  it('rejects a blue/green termination wait over 60 minutes (UpdateEndpoint allows 3600 s)', () => {
    expect(() => resolveConfig({ endpoint: { terminationWaitMinutes: 90 } })).toThrow('endpoint.terminationWaitMinutes must be a whole number from 0 to 60, got 90');
  });

  it('rejects zero polls and zero files per ingestion batch', () => {
    expect(() => resolveConfig({ endpoint: { maxPolls: 0 }, ingestion: { filesPerBatch: 0 } })).toThrow(
      /endpoint\.maxPolls must be a whole number of at least 1, got 0[\s\S]*ingestion\.filesPerBatch must be a whole number of at least 1, got 0/,
    );
  });

  it('rejects an endpoint name SageMaker would refuse', () => {
    expect(() => resolveConfig({ endpointName: 'price_sense' })).toThrow('endpointName must be 1-63 characters of letters, digits and single hyphens');
  });
});
