/**
 * How the local tuning job picks each trial's hyperparameters. SageMaker's Bayesian optimization
 * is AWS's own and cannot be reproduced, so both Bayesian and Random run the same seeded random
 * search here: trial n's values are a pure function of (job name or RandomSeed, n), drawn
 * uniformly on each range's scale (log scale for Logarithmic). A rerun of a job with the same
 * name tries the same values; AWS's Bayesian search would usually need fewer trials.
 */
import { createHash } from 'node:crypto';
import type { ParameterRange } from './tuning-request.js';

/** Trial index (0-based) → hyperparameter name → value as the API sends it (a string). */
export function sampleTrial(ranges: ParameterRange[], seed: string, trialIndex: number): Record<string, string> {
  const values: Record<string, string> = {};
  ranges.forEach((range, rangeIndex) => {
    const u = uniform(`${seed}/${trialIndex}/${range.Name}/${rangeIndex}`);
    values[range.Name] = valueAt(range, u);
  });
  return values;
}

function valueAt(range: ParameterRange, u: number): string {
  if (range.kind === 'Categorical') {
    const choices = range.values ?? [];
    return choices[Math.min(choices.length - 1, Math.floor(u * choices.length))]!;
  }
  const min = range.min!;
  const max = range.max!;
  let value: number;
  if (range.ScalingType === 'Logarithmic') value = Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
  else if (range.ScalingType === 'ReverseLogarithmic') value = 1 - Math.exp(Math.log(1 - max) + (1 - u) * (Math.log(1 - min) - Math.log(1 - max)));
  else value = min + u * (max - min);
  if (range.kind === 'Integer') {
    // Every whole number in [min, max] equally likely on a linear scale.
    const whole = range.ScalingType === 'Logarithmic' ? Math.round(value) : Math.floor(min + u * (max - min + 1));
    return String(Math.min(max, Math.max(min, whole)));
  }
  return String(Number(Math.min(max, Math.max(min, value)).toPrecision(6)));
}

/** A number in [0, 1) from a string, stable across runs and platforms. */
function uniform(key: string): number {
  const digest = createHash('sha256').update(key).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The 8 hex characters SageMaker appends to a trial's name (`<tuning job>-<NNN>-<8 hex>`). */
export function trialJobName(tuningJobName: string, trialIndex: number): string {
  const suffix = createHash('sha256').update(`${tuningJobName}/${trialIndex}`).digest('hex').slice(0, 8);
  return `${tuningJobName}-${String(trialIndex + 1).padStart(3, '0')}-${suffix}`;
}
