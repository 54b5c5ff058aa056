import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../workflow/config.js';

describe('training.tuning configuration', () => {
  it('is off by default with a Bayesian search on validation:merror', () => {
    expect(resolveConfig().training.tuning).toMatchObject({ enabled: false, strategy: 'Bayesian', objectiveMetric: 'validation:merror', maxNumberOfTrainingJobs: 12, maxParallelTrainingJobs: 3 });
  });

  it('merges a partial range over the default range', () => {
    expect(resolveConfig({ training: { tuning: { ranges: { eta: { max: 0.3 } } } } }).training.tuning.ranges.eta).toEqual({ min: 0.02, max: 0.3, scaling: 'Logarithmic' });
  });

  it('rejects a range whose min is not below its max', () => {
    expect(() => resolveConfig({ training: { tuning: { ranges: { max_depth: { min: 8, max: 4 } } } } })).toThrow('training.tuning.ranges.max_depth.min (8) must be below training.tuning.ranges.max_depth.max (4)');
  });

  it('rejects a fractional bound of an integer range', () => {
    expect(() => resolveConfig({ training: { tuning: { ranges: { num_round: { min: 10.5, max: 100 } } } } })).toThrow('training.tuning.ranges.num_round must have whole-number min and max');
  });

  it('rejects a range outside XGBoost\'s bounds', () => {
    expect(() => resolveConfig({ training: { tuning: { ranges: { subsample: { min: 0.5, max: 1.5 } } } } })).toThrow('training.tuning.ranges.subsample must lie within (0, 1]');
  });

  it('rejects more parallel trials than trials', () => {
    expect(() => resolveConfig({ training: { tuning: { maxNumberOfTrainingJobs: 4, maxParallelTrainingJobs: 5 } } })).toThrow(
      'training.tuning.maxParallelTrainingJobs (5) must not exceed training.tuning.maxNumberOfTrainingJobs (4)',
    );
  });

  it('rejects limits below 1', () => {
    expect(() => resolveConfig({ training: { tuning: { maxNumberOfTrainingJobs: 0 } } })).toThrow('training.tuning.maxNumberOfTrainingJobs must be a whole number from 1 to 500, got 0');
  });

  it('rejects an objective metric the local twin and AWS cannot both tune, listing the allowed ones', () => {
    expect(() => resolveConfig({ training: { tuning: { objectiveMetric: 'validation:accuracy' as never } } })).toThrow(
      'training.tuning.objectiveMetric must be one of validation:mlogloss, validation:merror, got "validation:accuracy"',
    );
  });

  it('rejects an unknown strategy', () => {
    expect(() => resolveConfig({ training: { tuning: { strategy: 'Grid' as never } } })).toThrow('training.tuning.strategy must be one of Bayesian, Random, got "Grid"');
  });

  it('rejects logarithmic scaling of a range that starts at 0', () => {
    expect(() => resolveConfig({ training: { tuning: { ranges: { min_child_weight: { min: 0, max: 5, scaling: 'Logarithmic' } } } } })).toThrow('needs min above 0');
  });
});
