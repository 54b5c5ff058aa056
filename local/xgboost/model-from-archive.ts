/**
 * Loading the scorer straight from a SageMaker `model.tar.gz`, as an endpoint does at start-up.
 */

import { join } from 'node:path';

import { ModelArchiveError, unpackModelArchive } from './model-archive.js';
import { loadXgboostModel, type XgboostModel } from './model.js';

/** The model file SageMaker's built-in XGBoost writes at the archive root. */
export const XGBOOST_MODEL_FILE = 'xgboost-model';

export async function loadXgboostModelFromArchive(tarGzPath: string, destDir: string): Promise<XgboostModel> {
  const names = await unpackModelArchive(tarGzPath, destDir);
  if (!names.includes(XGBOOST_MODEL_FILE)) {
    throw new ModelArchiveError(`${tarGzPath} has no ${XGBOOST_MODEL_FILE} at its root (it holds: ${names.join(', ') || 'nothing'})`);
  }
  return loadXgboostModel(join(destDir, XGBOOST_MODEL_FILE));
}
