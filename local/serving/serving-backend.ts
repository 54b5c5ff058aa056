/**
 * What the serving server needs from where it runs, behind small interfaces: a model source, a
 * customer-history source, the served model's reference prices and an inference log. The local
 * twin (serve-app.ts openLocalBackend: the local endpoint record, feature store and DynamoDB)
 * and the EKS container (aws/aws-backend.ts: the model directory, Feature Store, DynamoDB) each
 * build one; serving-server.ts serves either the same way.
 */
import type { CustomerHistorySource } from '../../tasks/core/predict/customer-history.js';
import type { InferenceRecorder } from '../../tasks/core/predict/inference-log.js';
import type { ReferencePriceSource } from '../../tasks/core/predict/reference-prices.js';
import type { ServedModel } from './model-server.js';

/** Customers whose history is kept in memory (~1 KB each): bounds the cache on a large customer base. */
export const HISTORY_CACHE_ENTRIES = 20_000;

export interface ModelSource {
  /** Starts handing models to `swap`; resolves once the first check is done (a model may or may not be in). */
  start(swap: (next: ServedModel) => void): Promise<void>;
  stop(): void;
  /** Why /predict has no model yet, for the scorer's 503. */
  readonly noModelMessage: string;
}

export interface InferenceLog {
  /** Table name, for log lines. */
  name: string;
  target: InferenceRecorder;
  /** Records per write: 25 with BatchWriteItem, 1 with PutItem. */
  batch: number;
}

export interface ServingBackend {
  model: ModelSource;
  history: CustomerHistorySource;
  references: ReferencePriceSource;
  /** undefined: inferences are not recorded. */
  inferenceLog?: InferenceLog;
  close?(): Promise<void>;
}
