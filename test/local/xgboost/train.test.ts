import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HyperparameterError } from '../../../local/xgboost/hyperparameters.js';
import { loadXgboostModel } from '../../../local/xgboost/model.js';
import { TrainingDataError, trainXgboost } from '../../../local/xgboost/train.js';
import { parseRoundLine } from '../../../local/xgboost/training-log.js';
import { makeSyntheticData, writeLabeledCsv } from './synthetic-data.js';

const BASE = { objective: 'multi:softprob', num_class: '3', max_depth: '3', eta: '0.3', tree_method: 'hist', seed: '1' };

describe('trainXgboost', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgb-train-'));
    await writeLabeledCsv(makeSyntheticData(1500, { seed: 1 }), join(dir, 'train.csv'));
    await writeLabeledCsv(makeSyntheticData(500, { seed: 2 }), join(dir, 'validation.csv'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('evaluates only the validation channel unless train metrics are asked for', async () => {
    const result = await trainXgboost({
      trainCsv: join(dir, 'train.csv'),
      validationCsv: join(dir, 'validation.csv'),
      hyperparameters: { ...BASE, num_round: '3', eval_metric: 'mlogloss' },
      workDir: join(dir, 'validation-only'),
      modelOut: join(dir, 'validation-only', 'xgboost-model'),
    });

    expect(result.metrics.map((metric) => metric.name)).toEqual(['validation:mlogloss']);
    expect(await readFile(join(dir, 'validation-only', 'train.conf'), 'utf8')).not.toContain('eval_train');
  });

  it('reports SageMaker-style final metrics for every channel and metric when train metrics are asked for', async () => {
    const result = await trainXgboost({
      trainCsv: join(dir, 'train.csv'),
      validationCsv: join(dir, 'validation.csv'),
      hyperparameters: { ...BASE, num_round: '8', eval_metric: 'mlogloss,merror' },
      workDir: join(dir, 'metrics'),
      modelOut: join(dir, 'metrics', 'xgboost-model'),
      evalTrain: true,
    });

    expect(result.rounds).toBe(8);
    expect(result.metrics.map((metric) => metric.name).sort()).toEqual(['train:merror', 'train:mlogloss', 'validation:merror', 'validation:mlogloss']);
    const lastLogged = (await readFile(result.logPath, 'utf8')).split('\n').map(parseRoundLine).filter(Boolean).pop();
    expect(lastLogged?.round).toBe(7);
    expect(result.metrics.find((metric) => metric.name === 'validation:merror')?.value).toBe(lastLogged?.values.get('validation:merror'));
  });

  it('early-stops on the validation metric and delivers the best-round model', async () => {
    const noisy = makeSyntheticData(400, { seed: 5 });
    for (let r = 0; r < noisy.numRows; r += 2) noisy.labels[r] = (noisy.labels[r]! + 1) % 3;
    await writeLabeledCsv(noisy, join(dir, 'noisy.csv'));
    const lines: string[] = [];

    const result = await trainXgboost({
      trainCsv: join(dir, 'noisy.csv'),
      validationCsv: join(dir, 'validation.csv'),
      hyperparameters: { ...BASE, eta: '0.9', max_depth: '6', num_round: '60', early_stopping_rounds: '3' },
      workDir: join(dir, 'early'),
      modelOut: join(dir, 'early', 'xgboost-model'),
      onLog: (line) => lines.push(line),
    });

    const logged = lines.map(parseRoundLine).filter((round) => round !== undefined);
    const best = Math.min(...logged.map((round) => round.values.get('validation:mlogloss')!));
    const model = await loadXgboostModel(join(dir, 'early', 'xgboost-model'));
    expect(logged).toHaveLength(result.bestRound! + 4);
    expect(result.rounds).toBe(result.bestRound! + 1);
    expect(model.numTrees).toBe(3 * (result.bestRound! + 1));
    expect(result.metrics.find((metric) => metric.name === 'validation:mlogloss')?.value).toBe(best);
    await expect(access(join(dir, 'early', 'checkpoints'))).rejects.toThrow('ENOENT');
  });

  it('trains on a directory of CSV parts exactly as on the joined file', async () => {
    const whole = await readFile(join(dir, 'train.csv'), 'utf8');
    const cut = whole.indexOf('\n', whole.length / 2);
    await mkdir(join(dir, 'parts'));
    await writeFile(join(dir, 'parts', 'part-0.csv'), whole.slice(0, cut)); // no trailing newline
    await writeFile(join(dir, 'parts', 'part-1.csv'), whole.slice(cut + 1));
    const options = { hyperparameters: { ...BASE, num_round: '3' } };

    const fromParts = await trainXgboost({ ...options, trainCsv: join(dir, 'parts'), workDir: join(dir, 'p'), modelOut: join(dir, 'p', 'm') });
    const fromFile = await trainXgboost({ ...options, trainCsv: join(dir, 'train.csv'), workDir: join(dir, 'f'), modelOut: join(dir, 'f', 'm') });

    expect(fromParts.metrics).toEqual(fromFile.metrics);
  });

  it('rejects a CSV with a header row, naming the field and the expected form', async () => {
    await writeFile(join(dir, 'header.csv'), 'label,f1\n1,0.5\n');

    await expect(
      trainXgboost({ trainCsv: join(dir, 'header.csv'), hyperparameters: { ...BASE, num_round: '2' }, workDir: join(dir, 'h'), modelOut: join(dir, 'h', 'm') }),
    ).rejects.toThrow(new TrainingDataError(`train data ${join(dir, 'header.csv')}: first field of line 1 is "label", expected a numeric label (SageMaker XGBoost CSV has the label first and no header)`));
  });

  it('rejects early_stopping_rounds without a validation channel', async () => {
    await expect(
      trainXgboost({ trainCsv: join(dir, 'train.csv'), hyperparameters: { ...BASE, num_round: '2', early_stopping_rounds: '2' }, workDir: join(dir, 'e'), modelOut: join(dir, 'e', 'm') }),
    ).rejects.toThrow('early_stopping_rounds needs a validation channel');
  });

  it('rejects an unknown hyperparameter before starting the command', async () => {
    await expect(
      trainXgboost({ trainCsv: join(dir, 'train.csv'), hyperparameters: { ...BASE, num_round: '2', max_dept: '3' }, workDir: join(dir, 'u'), modelOut: join(dir, 'u', 'm') }),
    ).rejects.toThrow(HyperparameterError);
  });

  it('kills the command on abort and writes no model', async () => {
    await writeLabeledCsv(makeSyntheticData(20_000, { seed: 9 }), join(dir, 'big.csv'));
    const controller = new AbortController();

    const training = trainXgboost({
      trainCsv: join(dir, 'big.csv'),
      hyperparameters: { ...BASE, num_round: '5000', max_depth: '8' },
      workDir: join(dir, 'abort'),
      modelOut: join(dir, 'abort', 'xgboost-model'),
      signal: controller.signal,
      onLog: (line) => {
        if (parseRoundLine(line)?.round === 1) controller.abort(new Error('stopped by test'));
      },
    });

    await expect(training).rejects.toThrow('stopped by test');
    await expect(access(join(dir, 'abort', 'xgboost-model'))).rejects.toThrow('ENOENT');
  });
});
