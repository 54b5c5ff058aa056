/** The benches' scoring of a gold test split with a trained model: the metrics EvaluateModel computes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classificationMetrics } from '../../../tasks/core/evaluate-model/classification-metrics.js';
import type { LabelIndex } from '../../../workflow/payloads.js';
import { GOLD_LAYOUT } from '../../../local/etl/silver-to-gold.js';
import { loadXgboostModel } from '../../../local/xgboost/model.js';
import { parseFeatureCsv } from '../../../local/xgboost/csv-features.js';

/** Scores `<goldDir>/xgboost/test` with the model at `modelPath` (argmax of the 3 class probabilities). */
export async function testSplitMetrics(goldDir: string, featureCount: number, modelPath: string): Promise<ReturnType<typeof classificationMetrics>> {
  const model = await loadXgboostModel(modelPath);
  const features = parseFeatureCsv(readFileSync(join(goldDir, GOLD_LAYOUT.testFeatures, 'test.csv'), 'utf8'), featureCount);
  const probabilities = model.predictProba(features.values, features.numRows);
  const predicted: LabelIndex[] = [];
  for (let row = 0; row < features.numRows; row++) {
    let best = 0;
    for (let k = 1; k < 3; k++) if (probabilities[row * 3 + k]! > probabilities[row * 3 + best]!) best = k;
    predicted.push(best as LabelIndex);
  }
  const actual = readFileSync(join(goldDir, GOLD_LAYOUT.testLabels, 'labels.csv'), 'utf8').trim().split('\n').map((line) => Number(line) as LabelIndex);
  return classificationMetrics(actual, predicted);
}
