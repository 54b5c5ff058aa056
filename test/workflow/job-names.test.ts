import { describe, expect, it } from 'vitest';
import jsonataEngine from 'jsonata';
import { runJobNames, sageMakerName, SAGEMAKER_NAME_MAX, servingModelName } from '../../workflow/job-names.js';
import { servingModelNameExpression } from '../../workflow/pipeline-definition.js';

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

describe('serving model name', () => {
  const executions = ['r-2024-0001', 'raw_week_47.csv', 'x'.repeat(80), 'pricesense-raw-2026-week-47-transactions-csv-0123456789abcdef-redrive'];

  it.each(executions)('the workflow\'s JSONata derives servingModelName(%s) from the run\'s model name', async (executionName) => {
    const expression = jsonataEngine(servingModelNameExpression());

    const derived = await expression.evaluate({}, { run: { modelName: runJobNames(executionName).modelName } });

    expect(derived).toBe(servingModelName(executionName));
    expect(derived).toMatch(SAGEMAKER_NAME);
    expect(derived.length).toBeLessThanOrEqual(SAGEMAKER_NAME_MAX);
  });

  it('differs from the scoring model name, so CreateServingModel never collides with CreateModel', () => {
    expect(servingModelName('r-2024-0001')).toBe('ps-serve-r-2024-0001');
    expect(runJobNames('r-2024-0001').modelName).toBe('ps-model-r-2024-0001');
  });
});
