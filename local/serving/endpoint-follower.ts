/**
 * Keeps `pricesense serve` on the model the local SageMaker endpoint record says is live: polls
 * the record, and when its live model changes (a pipeline rollout, a rollback) loads the new
 * archive and swaps it in. The swap is one reference assignment in the model server, so requests
 * in flight finish on the model they started with and none is dropped. A model that fails to load
 * leaves the current one serving.
 */
import { loadModelFromUri } from '../aws/sagemaker/model-cache.js';
import { readEndpointRecord, type LiveModel } from '../aws/sagemaker/endpoints.js';
import type { ServedModel } from './model-server.js';

export interface EndpointFollowerOptions {
  stateDir: string;
  endpointName: string;
  swap(next: ServedModel): void;
  /** @default 1000 */
  pollMs?: number;
  onSwap?(live: LiveModel): void;
  onError?(message: string): void;
}

export interface EndpointFollower {
  /** Checks the record now; resolves when any swap it starts is done. */
  check(): Promise<void>;
  stop(): void;
}

function liveKey(live: LiveModel): string {
  return `${live.ModelDataUrl}|${live.ModelVersion}|${live.DeployedAt}`;
}

export function followEndpoint(options: EndpointFollowerOptions): EndpointFollower {
  let current: string | undefined;
  let failed: string | undefined;
  let running: Promise<void> | undefined;

  const checkOnce = async (): Promise<void> => {
    let live: LiveModel | undefined;
    try {
      live = readEndpointRecord(options.stateDir, options.endpointName)?.Live;
    } catch (error) {
      options.onError?.(`cannot read the endpoint record of ${options.endpointName}: ${(error as Error).message}`);
      return;
    }
    if (!live) return;
    const key = liveKey(live);
    if (key === current || key === failed) return;
    try {
      const loaded = await loadModelFromUri(options.stateDir, live.ModelDataUrl);
      options.swap({ model: loaded.model, version: live.ModelVersion });
      current = key;
      failed = undefined;
      options.onSwap?.(live);
    } catch (error) {
      failed = key;
      options.onError?.(`model ${live.ModelVersion} (${live.ModelDataUrl}) did not load, the previous model keeps serving: ${(error as Error).message}`);
    }
  };

  const check = (): Promise<void> => {
    running ??= checkOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => void check(), options.pollMs ?? 1000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
