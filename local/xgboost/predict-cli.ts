/**
 * Batch prediction with the `xgboost` command itself (`task=pred`): the reference the TypeScript
 * scorer is checked against, and the engine of local batch transform.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { assertUsableDataPath, runXgboostCommand } from './xgboost-command.js';

/**
 * Scores a headerless features-only CSV (empty field = missing) with the model at `modelPath`
 * (binary `xgboost-model` or JSON) and writes XGBoost's output to `outPath`: one probability per
 * line, `numClass` consecutive lines per input row.
 */
export async function predictWithXgboostCli(
  modelPath: string,
  featuresCsv: string,
  outPath: string,
  options: { signal?: AbortSignal; onLog?: (line: string) => void } = {},
): Promise<void> {
  const model = resolve(modelPath);
  const features = resolve(featuresCsv);
  const out = resolve(outPath);
  assertUsableDataPath(features, 'features CSV');
  assertUsableDataPath(model, 'model');
  assertUsableDataPath(out, 'prediction output');
  const workDir = await mkdtemp(join(tmpdir(), 'pricesense-xgb-pred-'));
  try {
    const configFile = join(workDir, 'predict.conf');
    await writeFile(configFile, '# settings are passed as arguments\n');
    await runXgboostCommand({
      configFile,
      args: ['task=pred', `model_in=${model}`, `test_path=${features}?format=csv`, `name_pred=${out}`],
      cwd: workDir,
      ...(options.onLog ? { onLine: options.onLog } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Reads the `name_pred` file the xgboost command writes (one number per line). */
export async function readXgboostPredictions(path: string): Promise<Float64Array> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n').filter((line) => line !== '');
  const values = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const value = Number(line);
    if (!Number.isFinite(value)) throw new Error(`${path}: line ${i + 1} is not a number: ${JSON.stringify(line)}`);
    values[i] = value;
  });
  return values;
}
