/**
 * Typed execution input and the payloads the state machine passes to and from its task
 * Lambdas. Tasks pass S3 URIs, never data (256 KiB state limit).
 */
import type { Label } from './dataset-schema.js';

/** What a user types into the Step Functions console ("Start execution"). */
export interface ConsoleExecutionInput {
  bucket: string;
  /** Key of a CSV under `raw/`, e.g. `raw/2026/week-47.csv`. */
  key: string;
}

/** The EventBridge "Object Created" event S3 sends, as the trigger passes it on. */
export interface S3ObjectCreatedEvent {
  version: string;
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: string;
    bucket: { name: string };
    object: { key: string; size?: number; etag?: string; sequencer?: string; 'version-id'?: string };
    'request-id'?: string;
    requester?: string;
    reason?: string;
  };
}

export type ExecutionInput = ConsoleExecutionInput | S3ObjectCreatedEvent;

/** validate-input: request (built by the state machine). */
export interface ValidateInputRequest {
  /** The execution input exactly as received. */
  input: unknown;
  executionName: string;
}

/** validate-input: result, kept in the `run` variable for every later state. */
export interface RunContext {
  runId: string;
  bucket: string;
  key: string;
  sizeBytes: number;
  etag: string;
  /** Where each zone of this run lives (S3 URIs ending in `/`). */
  silverUri: string;
  goldUri: string;
  artifactsUri: string;
  trainingJobName: string;
  modelName: string;
  transformJobName: string;
  endpointConfigName: string;
}

/** ingest-features: one Distributed Map batch of feature files. */
export interface IngestFeaturesRequest {
  featureGroupName: string;
  /** Items from the ItemReader (s3:listObjectsV2) */
  Items: Array<{ Key: string; Size?: number }>;
  BatchInput: { bucket: string; eventTime: string };
}

export interface IngestFeaturesResult {
  filesRead: number;
  recordsWritten: number;
  recordsFailed: number;
  /** S3 URI of the JSON lines file listing failed records with their error, or null. */
  failedRecordsUri: string | null;
}

/** evaluate-model request. */
export interface EvaluateModelRequest {
  runId: string;
  /** CSV of true labels (0,1,2), one per line, in the test-split order. */
  labelsUri: string;
  /** Batch-transform output: one line of 3 class probabilities per test row. */
  predictionsUri: string;
  /** Where to write the model-quality report (JSON). */
  reportUri: string;
  modelPackageGroupName: string;
}

export interface ClassMetrics {
  LA: number;
  MM: number;
  UM: number;
}

export interface ModelMetrics {
  accuracy: number;
  macroF1: number;
  precision: ClassMetrics;
  recall: ClassMetrics;
  f1: ClassMetrics;
  /** rows = true class, columns = predicted class, in LABELS order. */
  confusionMatrix: number[][];
  support: ClassMetrics;
  testRows: number;
  /**
   * 95 % intervals [low, high] (tasks/core/evaluate-model/classification-metrics.ts metricIntervals95): Wilson
   * score for accuracy and each class precision (proportions of test rows / of predictions),
   * normal approximation with the bootstrap standard deviation for macro F1.
   */
  intervals95?: MetricIntervals;
}

export type Interval = readonly [low: number, high: number];

export interface MetricIntervals {
  accuracy: Interval;
  macroF1: Interval;
  precision: Readonly<Record<Label, Interval>>;
}

export interface EvaluateModelResult {
  metrics: ModelMetrics;
  reportUri: string;
  /** The currently approved model, if any, and how this one compares. */
  baseline: { modelPackageArn: string; accuracy: number; macroF1: number } | null;
  improvesOnBaseline: boolean | null;
}

export type LabelIndex = 0 | 1 | 2;
export type { Label };
