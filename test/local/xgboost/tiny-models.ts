/**
 * Hand-written XGBoost 1.7 JSON models small enough to check by hand: 2 features, 3 classes, one
 * stump per class splitting on feature 0 at 0.5 (missing goes left).
 */

import { xgboostModelFromBytes, type XgboostModel } from '../../../local/xgboost/model.js';

export function stumpModel(leftLeaves: [number, number, number], rightLeaves: [number, number, number]): XgboostModel {
  const trees = leftLeaves.map((left, k) => ({
    left_children: [1, -1, -1],
    right_children: [2, -1, -1],
    split_indices: [0, 0, 0],
    split_conditions: [0.5, left, rightLeaves[k]!],
    default_left: [1, 0, 0],
    categories: [],
  }));
  const document = {
    learner: {
      learner_model_param: { base_score: '5E-1', num_class: '3', num_feature: '2' },
      objective: { name: 'multi:softprob' },
      gradient_booster: { name: 'gbtree', model: { trees, tree_info: [0, 1, 2] } },
    },
  };
  return xgboostModelFromBytes(Buffer.from(JSON.stringify(document)), 'stump model');
}

/** Softmax of float32 margins, as the scorer computes it. */
export function softmax(margins: number[]): number[] {
  const top = Math.max(...margins);
  const e = margins.map((m) => Math.fround(Math.exp(m - top)));
  const sum = Math.fround(e.reduce((a, b) => a + b, 0));
  return e.map((x) => Math.fround(x / sum));
}
