/**
 * Turns a model's `ModelDataUrl` (a model.tar.gz in the local S3 zone) into a loaded scorer:
 * unpack once per archive version into `<stateDir>/sagemaker/model-cache/`, load with the
 * TypeScript scorer, keep it in memory keyed by archive path, size and mtime (a re-upload of the
 * same key is a new version).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelArchiveError } from '../../xgboost/model-archive.js';
import { localObjectOfUri } from './s3-objects.js';
import { loadXgboostModel, unpackModelArchive, type XgboostModel } from './xgboost-backend.js';

export interface LoadedModel {
  model: XgboostModel;
  archivePath: string;
  /** Directory the archive was unpacked into (holds `xgboost-model`). */
  modelDir: string;
}

const MODEL_FILE = 'xgboost-model';
const loaded = new Map<string, Promise<LoadedModel>>();

export async function loadModelFromUri(stateDir: string, modelDataUrl: string): Promise<LoadedModel> {
  const archivePath = localObjectOfUri(stateDir, modelDataUrl);
  if (archivePath === undefined) throw new ModelArchiveError(`The model archive ${modelDataUrl} does not exist in the local S3 zone`);
  const info = await stat(archivePath);
  const version = `${archivePath}:${info.size}:${info.mtimeMs}`;
  let pending = loaded.get(version);
  if (pending === undefined) {
    pending = unpackAndLoad(stateDir, modelDataUrl, archivePath, version);
    loaded.set(version, pending);
    // A failed load is not cached: a fixed archive at the same key must load next time.
    pending.catch(() => loaded.delete(version));
  }
  return pending;
}

async function unpackAndLoad(stateDir: string, modelDataUrl: string, archivePath: string, version: string): Promise<LoadedModel> {
  const cacheRoot = join(stateDir, 'sagemaker', 'model-cache');
  const modelDir = join(cacheRoot, createHash('sha256').update(version).digest('hex').slice(0, 16));
  if (!existsSync(join(modelDir, MODEL_FILE))) {
    // Unpack beside the final place and rename, so a concurrent reader never sees half a model.
    const temp = join(cacheRoot, `.unpack-${process.pid}-${randomUUID()}`);
    await mkdir(temp, { recursive: true });
    try {
      let names: string[];
      try {
        names = await unpackModelArchive(archivePath, temp);
      } catch (error) {
        throw new ModelArchiveError(`The model archive ${modelDataUrl} cannot be unpacked: ${errorMessage(error)}`, { cause: error });
      }
      if (!names.includes(MODEL_FILE)) {
        throw new ModelArchiveError(`The model archive ${modelDataUrl} has no ${MODEL_FILE} at its root (found: ${names.join(', ') || 'nothing'})`);
      }
      await rename(temp, modelDir).catch(async (error: NodeJS.ErrnoException) => {
        if (!existsSync(join(modelDir, MODEL_FILE))) throw error;
      });
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
  try {
    const model = await loadXgboostModel(join(modelDir, MODEL_FILE));
    return { model, archivePath, modelDir };
  } catch (error) {
    throw new ModelArchiveError(`The model in ${modelDataUrl} cannot be loaded: ${errorMessage(error)}`, { cause: error });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
