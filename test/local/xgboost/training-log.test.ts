import { describe, expect, it } from 'vitest';

import { parseRoundLine } from '../../../local/xgboost/training-log.js';

describe('parseRoundLine', () => {
  it('turns an evaluation line into SageMaker metric names', () => {
    const round = parseRoundLine('[13:40:47] [12]\tvalidation-mlogloss:0.45\tvalidation-merror:0.125\ttrain-mlogloss:0.41');

    expect(round?.round).toBe(12);
    expect([...(round?.values ?? [])]).toEqual([['validation:mlogloss', 0.45], ['validation:merror', 0.125], ['train:mlogloss', 0.41]]);
  });

  it('reads nan as NaN', () => {
    expect(parseRoundLine('[0]\ttrain-auc:nan')?.values.get('train:auc')).toBeNaN();
  });

  it('ignores other log lines', () => {
    expect(parseRoundLine('[13:41:05] Writing prediction to p1.txt')).toBeUndefined();
  });
});
