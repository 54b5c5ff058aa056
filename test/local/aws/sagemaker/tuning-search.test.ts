import { describe, expect, it } from 'vitest';
import type { ParameterRange } from '../../../../local/aws/sagemaker/tuning-request.js';
import { sampleTrial, trialJobName } from '../../../../local/aws/sagemaker/tuning-search.js';

const RANGES: ParameterRange[] = [
  { Name: 'eta', kind: 'Continuous', min: 0.01, max: 1, ScalingType: 'Logarithmic' },
  { Name: 'max_depth', kind: 'Integer', min: 2, max: 5, ScalingType: 'Auto' },
  { Name: 'booster_choice', kind: 'Categorical', values: ['a', 'b'], ScalingType: 'Auto' },
];

describe('the local tuning search (seeded random search)', () => {
  it('tries the same values for the same seed and trial, and other values for another seed', () => {
    expect(sampleTrial(RANGES, 'name:job-a', 3)).toEqual(sampleTrial(RANGES, 'name:job-a', 3));
    expect(sampleTrial(RANGES, 'name:job-a', 3)).not.toEqual(sampleTrial(RANGES, 'name:job-b', 3));
  });

  it('reaches every whole number of an integer range and every category', () => {
    const trials = Array.from({ length: 200 }, (_, index) => sampleTrial(RANGES, 'seed:1', index));
    expect(new Set(trials.map((trial) => trial.max_depth))).toEqual(new Set(['2', '3', '4', '5']));
    expect(new Set(trials.map((trial) => trial.booster_choice))).toEqual(new Set(['a', 'b']));
  });

  it('draws a logarithmic range evenly per decade', () => {
    const etas = Array.from({ length: 400 }, (_, index) => Number(sampleTrial(RANGES, 'seed:2', index).eta));
    const belowOneTenth = etas.filter((eta) => eta < 0.1).length / etas.length;
    expect(Math.min(...etas)).toBeGreaterThanOrEqual(0.01);
    expect(Math.max(...etas)).toBeLessThanOrEqual(1);
    // [0.01, 0.1) is half of [0.01, 1] on a log scale (a linear draw would put 9 % there).
    expect(belowOneTenth).toBeGreaterThan(0.4);
    expect(belowOneTenth).toBeLessThan(0.6);
  });

  it('names trials <tuning job>-<NNN>-<8 hex> as SageMaker does', () => {
    expect(trialJobName('ps-tune-abc', 0)).toMatch(/^ps-tune-abc-001-[0-9a-f]{8}$/);
    expect(trialJobName('ps-tune-abc', 11)).toMatch(/^ps-tune-abc-012-[0-9a-f]{8}$/);
  });
});
