import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../workflow/config.js';
import { metricGateCondition } from '../../workflow/metric-gate.js';
import { rolloutTargetOf } from '../../workflow/pipeline-definition.js';
import { xgboostImageUri } from '../../workflow/xgboost-image.js';

describe('metric gate', () => {
  it('takes its thresholds from the configuration', () => {
    const config = resolveConfig({ thresholds: { accuracy: 0.8, macroF1: 0.72, classPrecision: 0.6 } });

    expect(metricGateCondition(config.thresholds)).toBe(
      '$evaluation.metrics.accuracy >= 0.8 and $evaluation.metrics.macroF1 >= 0.72 and $evaluation.metrics.precision.LA >= 0.6 and $evaluation.metrics.precision.MM >= 0.6 and $evaluation.metrics.precision.UM >= 0.6',
    );
  });
});

describe('rolloutTargetOf', () => {
  it('never rolls out under manual approval', () => {
    expect(rolloutTargetOf(resolveConfig({ approvalMode: 'manual', deployTarget: 'endpoint' }))).toBe('none');
  });
});

describe('xgboostImageUri', () => {
  it('names the supported Regions for an unknown one', () => {
    expect(() => xgboostImageUri('mars-1')).toThrow(/Region "mars-1".*supported Regions: us-east-1, us-west-2, eu-west-1, eu-central-1/);
  });
});
