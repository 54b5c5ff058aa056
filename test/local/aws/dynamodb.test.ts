import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbEmulator } from '../../../local/aws/dynamodb.js';

let stateDir: string;
let db: DynamoDbEmulator;

beforeEach(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'ddb-test-'));
  db = new DynamoDbEmulator(stateDir);
  await db.call('CreateTable', {
    TableName: 'inference-log',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'ts', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'ts', AttributeType: 'N' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (const [pk, ts, label] of [['m1', '3', 'UM'], ['m1', '1', 'LA'], ['m1', '2', 'MM'], ['m2', '1', 'LA']] as const) {
    await db.call('PutItem', { TableName: 'inference-log', Item: { pk: { S: pk }, ts: { N: ts }, label: { S: label } } });
  }
});

describe('DynamoDbEmulator', () => {
  it('gets an item by its full key', async () => {
    const out = await db.call('GetItem', { TableName: 'inference-log', Key: { pk: { S: 'm1' }, ts: { N: '2' } } });
    expect(out.Item).toEqual({ pk: { S: 'm1' }, ts: { N: '2' }, label: { S: 'MM' } });
  });

  it('returns no Item for a missing key', async () => {
    expect(await db.call('GetItem', { TableName: 'inference-log', Key: { pk: { S: 'zz' }, ts: { N: '1' } } })).toEqual({});
  });

  it('queries a partition in sort-key order with a range condition', async () => {
    const out = await db.call('Query', {
      TableName: 'inference-log',
      KeyConditionExpression: '#p = :p AND ts >= :from',
      ExpressionAttributeNames: { '#p': 'pk' },
      ExpressionAttributeValues: { ':p': { S: 'm1' }, ':from': { N: '2' } },
    });
    expect((out.Items as Array<{ label: { S: string } }>).map((i) => i.label.S)).toEqual(['MM', 'UM']);
  });

  it('pages a scan with Limit and LastEvaluatedKey', async () => {
    const first = await db.call('Scan', { TableName: 'inference-log', Limit: 3 });
    const second = await db.call('Scan', { TableName: 'inference-log', Limit: 3, ExclusiveStartKey: first.LastEvaluatedKey });
    expect([first.Count, second.Count, second.LastEvaluatedKey]).toEqual([3, 1, undefined]);
  });

  it('sees items another process appended', async () => {
    const other = new DynamoDbEmulator(stateDir);
    await other.call('PutItem', { TableName: 'inference-log', Item: { pk: { S: 'm3' }, ts: { N: '9' } } });
    expect((await db.call('GetItem', { TableName: 'inference-log', Key: { pk: { S: 'm3' }, ts: { N: '9' } } })).Item).toBeDefined();
  });

  it('reports an unknown table as ResourceNotFoundException', async () => {
    await expect(db.call('Scan', { TableName: 'ghost' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('rejects an item without its key with ValidationException', async () => {
    await expect(db.call('PutItem', { TableName: 'inference-log', Item: { pk: { S: 'm1' } } })).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('ts') });
  });
});

describe('DynamoDbEmulator concurrent writes', () => {
  it('keeps every item of 40 concurrent BatchWriteItem calls, each line whole', async () => {
    const calls = Array.from({ length: 40 }, (_, c) =>
      db.call('BatchWriteItem', {
        RequestItems: { 'inference-log': Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `c${c}` }, ts: { N: String(i) }, label: { S: 'MM' } } } })) },
      }),
    );
    await Promise.all(calls);

    const out = await db.call('Scan', { TableName: 'inference-log' });

    expect(out.Count).toBe(4 + 40 * 25);
  });
});
