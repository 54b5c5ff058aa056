import { describe, expect, it } from 'vitest';
import { runJobNames, sageMakerName, SAGEMAKER_NAME_MAX } from '../../workflow/job-names.js';

const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

describe('sageMakerName', () => {
  it('keeps a short clean execution name readable', () => {
    expect(sageMakerName('ps-train', 'run-20261121-1')).toBe('ps-train-run-20261121-1');
  });

  it('replaces characters SageMaker rejects and adds a hash so names stay distinct', () => {
    const a = sageMakerName('ps-train', 'raw_week_47.csv');
    const b = sageMakerName('ps-train', 'raw-week-47-csv');
    expect(a).toMatch(SAGEMAKER_NAME);
    expect(a).toMatch(/^ps-train-raw-week-47-csv-[0-9a-f]{8}$/);
    expect(b).toBe('ps-train-raw-week-47-csv');
    expect(a).not.toBe(b);
  });

  it('shortens an 80-character execution name to at most 63 characters', () => {
    const name = sageMakerName('ps-score', 'x'.repeat(80));
    expect(name.length).toBeLessThanOrEqual(SAGEMAKER_NAME_MAX);
    expect(name).toMatch(SAGEMAKER_NAME);
  });

  it('derives the same names for the same execution (a redrive finds its jobs)', () => {
    expect(runJobNames('exec-1')).toEqual(runJobNames('exec-1'));
    expect(runJobNames('exec-1').trainingJobName).toBe('ps-train-exec-1');
  });
});
