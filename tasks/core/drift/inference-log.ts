/**
 * Reads the inference log (DynamoDB, keyed by inferenceId only) for a time window. The table has no
 * time index, so this is a paginated Scan filtered on `timestamp` client-side: a FilterExpression
 * would not lower the read units a Scan consumes, and it would have to guess whether /predict writes
 * the timestamp as an ISO string or an epoch number. The table's TTL bounds what is scanned.
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { INFERENCE_FEATURES_ATTRIBUTE, INFERENCE_TIMESTAMP_ATTRIBUTE, selectInferenceRows, type InferenceSelection } from './inference-records.js';

export async function readInferenceWindow(
  dynamoDb: DynamoDBClient,
  tableName: string,
  featureNames: readonly string[],
  window: { sinceMs: number; untilMs: number },
): Promise<InferenceSelection & { scanned: number }> {
  const selection: InferenceSelection = { rows: [], unreadable: 0 };
  let scanned = 0;
  let exclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamoDb.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: '#ts, #features',
        ExpressionAttributeNames: { '#ts': INFERENCE_TIMESTAMP_ATTRIBUTE, '#features': INFERENCE_FEATURES_ATTRIBUTE },
        ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
      }),
    );
    const items = page.Items ?? [];
    scanned += items.length;
    const pageSelection = selectInferenceRows(items, featureNames, window.sinceMs, window.untilMs);
    selection.rows.push(...pageSelection.rows);
    selection.unreadable += pageSelection.unreadable;
    exclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (exclusiveStartKey);
  return { ...selection, scanned };
}
