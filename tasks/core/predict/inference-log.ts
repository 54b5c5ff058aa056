/**
 * The inference record of each /predict call: DynamoDB PutItem on the inference table (partition
 * key inferenceId, TTL attribute expiresAt as infra/pipeline-stack.ts declares it). Locally the
 * same PutItem goes to the local DynamoDB table.
 */
import { PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface InferenceRecord {
  inferenceId: string;
  basketId: string;
  modelVersion: string;
  /** Feature name -> value, as sent to the model. */
  features: Record<string, number>;
  probabilities: Record<string, number>;
  label: string;
  /** ISO-8601 UTC. */
  timestamp: string;
  customerId: string | null;
  latencyMs: number;
}

export interface InferenceRecorder {
  record(record: InferenceRecord): Promise<void>;
}

/** How long inference records are kept before DynamoDB's TTL removes them. */
export const INFERENCE_RETENTION_DAYS = 90;

function numberMap(values: Record<string, number>): AttributeValue {
  const out: Record<string, AttributeValue> = {};
  for (const key in values) out[key] = { N: String(values[key]) };
  return { M: out };
}

export function inferenceItem(record: InferenceRecord): Record<string, AttributeValue> {
  return {
    inferenceId: { S: record.inferenceId },
    basketId: { S: record.basketId },
    modelVersion: { S: record.modelVersion },
    features: numberMap(record.features),
    probabilities: numberMap(record.probabilities),
    label: { S: record.label },
    timestamp: { S: record.timestamp },
    customerId: record.customerId === null ? { NULL: true } : { S: record.customerId },
    latencyMs: { N: record.latencyMs.toFixed(3) },
    expiresAt: { N: String(Math.floor(Date.parse(record.timestamp) / 1000) + INFERENCE_RETENTION_DAYS * 86_400) },
  };
}

export class DynamoDbInferenceRecorder implements InferenceRecorder {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(record: InferenceRecord): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: inferenceItem(record) }));
  }
}
