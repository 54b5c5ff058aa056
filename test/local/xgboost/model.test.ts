import { describe, expect, it } from 'vitest';

import { XgboostModelFormatError, xgboostModelFromBytes } from '../../../local/xgboost/model.js';
import { softmax, stumpModel } from './tiny-models.js';

function jsonModel(objective: string): Uint8Array {
  const document = {
    learner: {
      learner_model_param: { base_score: '5E-1', num_class: '0', num_feature: '1' },
      objective: { name: objective },
      gradient_booster: { name: 'gbtree', model: { trees: [], tree_info: [] } },
    },
  };
  return Buffer.from(JSON.stringify(document));
}

describe('xgboostModelFromBytes', () => {
  it('scores a hand-checkable model: a value below the split goes left', () => {
    const model = stumpModel([0, 1, 2], [2, 1, 0]);

    const probabilities = model.predictProba([[0.2, 0]]);

    expect(Array.from(probabilities)).toEqual(softmax([0.5, 1.5, 2.5]));
  });

  it('sends a value equal to the threshold right, as XGBoost does', () => {
    const model = stumpModel([0, 1, 2], [2, 1, 0]);

    expect(Array.from(model.predictProba([[0.5, 0]]))).toEqual(softmax([2.5, 1.5, 0.5]));
  });

  it('rejects a row with the wrong number of features, naming both counts', () => {
    const model = stumpModel([0, 1, 2], [2, 1, 0]);

    expect(() => model.predictProba([[1, 2, 3]])).toThrow('row 0 has 3 values, expected 2 features');
  });

  it('rejects a flat input that is not a whole number of rows', () => {
    const model = stumpModel([0, 1, 2], [2, 1, 0]);

    expect(() => model.predictProba(new Float64Array(5))).toThrow('does not hold a whole number of rows of 2 features');
  });

  it('says which file is not a model and which formats are expected', () => {
    expect(() => xgboostModelFromBytes(Buffer.from('hello'), 'xgboost-model')).toThrow(
      new XgboostModelFormatError('xgboost-model: not an XGBoost model (expected the binary format starting with "binf" or JSON starting with "{")'),
    );
  });

  it('rejects an objective other than multi:softprob', () => {
    expect(() => xgboostModelFromBytes(jsonModel('binary:logistic'), 'm.json')).toThrow('m.json: objective "binary:logistic" is not supported (expected one of multi:softprob)');
  });

  it('reports a truncated binary model', () => {
    const truncated = Buffer.concat([Buffer.from('binf'), Buffer.alloc(20)]);

    expect(() => xgboostModelFromBytes(truncated, 'xgboost-model')).toThrow('xgboost-model: binary XGBoost model is truncated while reading the learner parameters');
  });
});
