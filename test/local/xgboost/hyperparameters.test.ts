import { describe, expect, it } from 'vitest';

import { translateHyperparameters } from '../../../local/xgboost/hyperparameters.js';
import { findXgboostCommand } from '../../../local/xgboost/xgboost-command.js';

describe('translateHyperparameters', () => {
  it('passes XGBoost parameters through and splits a comma-separated eval_metric', () => {
    const settings = translateHyperparameters({ objective: 'multi:softprob', num_class: '3', num_round: '10', eta: '0.1', eval_metric: 'mlogloss, merror' });

    expect(settings.settings).toEqual([['objective', 'multi:softprob'], ['num_class', '3'], ['eta', '0.1']]);
    expect(settings.evalMetrics).toEqual(['mlogloss', 'merror']);
    expect(settings.numRound).toBe(10);
  });

  it('takes early_stopping_rounds out of the command settings', () => {
    const settings = translateHyperparameters({ num_round: '10', early_stopping_rounds: '5' });

    expect(settings.earlyStoppingRounds).toBe(5);
    expect(settings.settings).toEqual([]);
  });

  it('requires num_round', () => {
    expect(() => translateHyperparameters({ eta: '0.1' })).toThrow('hyperparameter num_round is required');
  });

  it('requires num_class for a multi-class objective', () => {
    expect(() => translateHyperparameters({ objective: 'multi:softprob', num_round: '3' })).toThrow('objective multi:softprob needs hyperparameter num_class');
  });

  it('names an unknown hyperparameter', () => {
    expect(() => translateHyperparameters({ num_round: '3', max_dept: '4' })).toThrow('unknown hyperparameter "max_dept"');
  });

  it('rejects a non-integer num_round with the value', () => {
    expect(() => translateHyperparameters({ num_round: '2.5' })).toThrow('hyperparameter num_round="2.5" is invalid: expected a positive integer');
  });
});

describe('findXgboostCommand', () => {
  it('says how to install xgboost when it is not on PATH', () => {
    expect(() => findXgboostCommand({ PATH: '/nonexistent-dir' })).toThrow('Install it with: sudo apt-get install -y xgboost');
  });

  it('finds the Debian xgboost program on PATH', () => {
    expect(findXgboostCommand({ PATH: '/nonexistent-dir:/usr/bin' })).toBe('/usr/bin/xgboost');
  });
});
