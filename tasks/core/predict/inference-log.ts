/**
 * The inference record of each /predict call: DynamoDB PutItem on the inference table (partition
 * key inferenceId, TTL attribute expiresAt as infra/pipeline-stack.ts declares it). Locally the
 * same PutItem goes to the local DynamoDB table.
 */
import { BatchWriteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

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
  /** Several records at once, where the store has a batch write (used by write-behind logging). */
  recordBatch?(records: readonly InferenceRecord[]): Promise<void>;
}

/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_LIMIT = 25;
const BATCH_WRITE_ATTEMPTS = 5;

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

  /** BatchWriteItem in chunks of 25, re-sending UnprocessedItems with a short backoff. */
  async recordBatch(records: readonly InferenceRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += BATCH_WRITE_LIMIT) {
      let pending: WriteRequest[] = records.slice(start, start + BATCH_WRITE_LIMIT).map((record) => ({ PutRequest: { Item: inferenceItem(record) } }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > BATCH_WRITE_ATTEMPTS) throw new Error(`${pending.length} inference records stayed unprocessed after ${BATCH_WRITE_ATTEMPTS} BatchWriteItem attempts`);
        const output = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = output.UnprocessedItems?.[this.tableName] ?? [];
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
      }
    }
  }
}
