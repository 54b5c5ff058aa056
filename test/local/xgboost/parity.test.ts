import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseFeatureCsv } from '../../../local/xgboost/csv-features.js';
import { loadXgboostModel } from '../../../local/xgboost/model.js';
import { packModelArchive } from '../../../local/xgboost/model-archive.js';
import { loadXgboostModelFromArchive } from '../../../local/xgboost/model-from-archive.js';
import { predictWithXgboostCli, readXgboostPredictions } from '../../../local/xgboost/predict-cli.js';
import { trainXgboost } from '../../../local/xgboost/train.js';
import { featuresCsvText, makeSyntheticData, writeLabeledCsv } from './synthetic-data.js';

describe('TypeScript scorer parity with the xgboost command', () => {
  let dir: string;
  const data = makeSyntheticData(3000, { numFeatures: 20, missingRate: 0.1, seed: 11 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgb-parity-'));
    await writeLabeledCsv(data, join(dir, 'train.csv'));
    await writeFile(join(dir, 'features.csv'), featuresCsvText(data));
    await trainXgboost({
      trainCsv: join(dir, 'train.csv'),
      hyperparameters: { objective: 'multi:softprob', num_class: '3', num_round: '40', max_depth: '5', eta: '0.2', subsample: '0.9', colsample_bytree: '0.8', tree_method: 'hist', seed: '3' },
      workDir: join(dir, 'work'),
      modelOut: join(dir, 'xgboost-model'),
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('matches every probability of the binary xgboost-model within 1e-6, missing values included', async () => {
    await predictWithXgboostCli(join(dir, 'xgboost-model'), join(dir, 'features.csv'), join(dir, 'cli.txt'));
    const reference = await readXgboostPredictions(join(dir, 'cli.txt'));
    const model = await loadXgboostModel(join(dir, 'xgboost-model'));
    const rows = parseFeatureCsv(await readFile(join(dir, 'features.csv'), 'utf8'), 20);

    const ours = model.predictProba(rows.values, rows.numRows);

    expect(ours.length).toBe(3000 * 3);
    expect(reference.length).toBe(ours.length);
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - reference[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
  });

  it('scores an array of rows exactly like the same rows in one flat array', async () => {
    const model = await loadXgboostModel(join(dir, 'xgboost-model'));
    const rows = Array.from({ length: 50 }, (_, r) => data.features.subarray(r * 20, r * 20 + 20));

    const fromRows = model.predictProba(rows);

    expect(Array.from(fromRows)).toEqual(Array.from(model.predictProba(data.features.subarray(0, 50 * 20), 50)));
  });

  it('scores the same from model.tar.gz as from the bare model file', async () => {
    await packModelArchive([{ name: 'xgboost-model', path: join(dir, 'xgboost-model') }], join(dir, 'model.tar.gz'));
    const fromArchive = await loadXgboostModelFromArchive(join(dir, 'model.tar.gz'), join(dir, 'unpacked'));
    const fromFile = await loadXgboostModel(join(dir, 'xgboost-model'));

    expect(Array.from(fromArchive.predictProba(data.features, data.numRows))).toEqual(Array.from(fromFile.predictProba(data.features, data.numRows)));
  });

  it('reads the model shape from the file: 3 classes, 20 features, base score 0.5', async () => {
    const model = await loadXgboostModel(join(dir, 'xgboost-model'));

    expect([model.numClass, model.numFeatures, model.baseScore]).toEqual([3, 20, 0.5]);
  });
});
