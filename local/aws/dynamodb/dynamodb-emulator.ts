/**
 * Local DynamoDB, minimal: enough for the inference log (CreateTable, DescribeTable, PutItem,
 * GetItem, Query on the partition key with an optional sort-key condition, Scan). Items keep
 * DynamoDB's AttributeValue shapes (`{S: "..."}`, `{N: "1.5"}`).
 *
 * Each table is an append-only JSON-lines log (`<stateDir>/dynamodb/<table>/items.jsonl`):
 * a put is one append, so /predict can log at hundreds of requests per second, and every
 * process sees the others' writes by reading the log's new tail.
 */
import { appendFile, readFile, stat } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { writeJsonAtomic } from '../../state/atomic-write.js';
import { compare, scalar, type AttributeValue, type Item } from './attribute-values.js';
import { checkItemSize } from './item-size.js';
import { parseKeyCondition } from './key-condition.js';
import { dynamodb, validation } from './validation.js';

interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

interface TableDefinition {
  TableName: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
  BillingMode: string;
  CreationDateTime: string;
}

interface TableState {
  offset: number;
  items: Map<string, Item>;
}

function notFound(table: string): AwsServiceError {
  return new AwsServiceError('ResourceNotFoundException', `Requested resource not found: Table: ${table} not found`);
}

export class DynamoDbEmulator implements AwsServiceEmulator {
  readonly service = 'dynamodb';
  readonly actions = ['CreateTable', 'DescribeTable', 'PutItem', 'BatchWriteItem', 'GetItem', 'Query', 'Scan'] as const;
  private readonly tables = new Map<string, TableState>();
  /** Per table, lines waiting for the append in flight to finish (group commit). */
  private readonly appends = new Map<string, { text: string; waiters: Array<{ resolve(): void; reject(error: unknown): void }> }>();
  /** Definitions seen by writes: a table's key schema never changes once created, so a write reads it once. */
  private readonly writeDefinitions = new Map<string, TableDefinition>();

  constructor(private readonly stateDir: string) {}

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (action) {
      case 'CreateTable':
        return { TableDescription: await this.createTable(input) };
      case 'DescribeTable':
        return { Table: this.describe(await this.definition(String(input.TableName))) };
      case 'PutItem':
        return this.putItem(input);
      case 'BatchWriteItem':
        return this.batchWriteItem(input);
      case 'GetItem':
        return this.getItem(input);
      case 'Query':
        return this.query(input);
      case 'Scan':
        return this.scan(input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  async tableExists(name: string): Promise<boolean> {
    return (await stat(this.definitionPath(name)).catch(() => undefined)) !== undefined;
  }

  async createTable(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = dynamodb.requiredString(input, 'TableName', { pattern: /^[a-zA-Z0-9_.-]{3,255}$/, expected: 'must be 3-255 characters of [a-zA-Z0-9_.-]' });
    const keySchema = input.KeySchema as KeySchemaElement[] | undefined;
    if (!Array.isArray(keySchema) || !keySchema.some((k) => k.KeyType === 'HASH')) {
      throw validation('KeySchema needs one HASH key (and optionally one RANGE key)');
    }
    if (await this.tableExists(name)) {
      throw new AwsServiceError('ResourceInUseException', `Table already exists: ${name}`);
    }
    const definition: TableDefinition = {
      TableName: name,
      KeySchema: keySchema,
      AttributeDefinitions: (input.AttributeDefinitions as TableDefinition['AttributeDefinitions']) ?? [],
      BillingMode: typeof input.BillingMode === 'string' ? input.BillingMode : 'PROVISIONED',
      CreationDateTime: new Date().toISOString(),
    };
    await writeJsonAtomic(this.definitionPath(name), definition);
    return this.describe(definition);
  }

  private definitionPath(table: string): string {
    return join(this.stateDir, 'dynamodb', table, 'table.json');
  }

  private logPath(table: string): string {
    return join(this.stateDir, 'dynamodb', table, 'items.jsonl');
  }

  private async definition(table: string): Promise<TableDefinition> {
    try {
      return JSON.parse(await readFile(this.definitionPath(table), 'utf8')) as TableDefinition;
    } catch {
      throw notFound(table);
    }
  }

  private async definitionForWrite(table: string): Promise<TableDefinition> {
    const known = this.writeDefinitions.get(table);
    if (known) return known;
    const definition = await this.definition(table);
    this.writeDefinitions.set(table, definition);
    return definition;
  }

  /**
   * Appends lines to a table's log. Writes that arrive while an append is in flight are joined
   * into the next one (group commit): under load one file write carries many requests' items,
   * and each caller still resolves only once its own lines are on disk.
   */
  private append(table: string, text: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const pending = this.appends.get(table);
      if (pending) {
        pending.text += text;
        pending.waiters.push({ resolve, reject });
        return;
      }
      const batch = { text, waiters: [{ resolve, reject }] };
      this.appends.set(table, batch);
      void this.flushAppends(table, batch);
    });
  }

  private async flushAppends(table: string, first: { text: string; waiters: Array<{ resolve(): void; reject(error: unknown): void }> }): Promise<void> {
    let batch = first;
    for (;;) {
      // Taken now: later writes start the next group.
      const { text, waiters } = batch;
      batch.text = '';
      batch.waiters = [];
      try {
        await appendFile(this.logPath(table), text);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
      if (batch.waiters.length === 0) {
        this.appends.delete(table);
        return;
      }
      batch = this.appends.get(table)!;
    }
  }

  private describe(definition: TableDefinition): Record<string, unknown> {
    return {
      TableName: definition.TableName,
      TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${definition.TableName}`,
      TableStatus: 'ACTIVE',
      KeySchema: definition.KeySchema,
      AttributeDefinitions: definition.AttributeDefinitions,
      BillingModeSummary: { BillingMode: definition.BillingMode },
      CreationDateTime: new Date(definition.CreationDateTime),
      ItemCount: this.tables.get(definition.TableName)?.items.size ?? 0,
    };
  }

  private keyOf(definition: TableDefinition, item: Record<string, unknown>, what: string): string {
    const parts = definition.KeySchema.map((k) => {
      const value = scalar(item[k.AttributeName] as AttributeValue | undefined);
      if (value === undefined) {
        throw validation(`One or more parameter values were invalid: Missing the key ${k.AttributeName} in the ${what}`);
      }
      return value;
    });
    return JSON.stringify(parts);
  }

  /** Brings the in-memory view up to date with the log's new tail (other processes append too). */
  private async load(definition: TableDefinition): Promise<TableState> {
    const state = this.tables.get(definition.TableName) ?? { offset: 0, items: new Map<string, Item>() };
    this.tables.set(definition.TableName, state);
    const handle = await open(this.logPath(definition.TableName), 'r').catch(() => undefined);
    if (!handle) return state;
    try {
      const { size } = await handle.stat();
      if (size <= state.offset) return state;
      const buffer = Buffer.alloc(size - state.offset);
      await handle.read(buffer, 0, buffer.length, state.offset);
      // Only whole lines: a concurrent append may be mid-write.
      const complete = buffer.lastIndexOf(0x0a) + 1;
      for (const line of buffer.subarray(0, complete).toString('utf8').split('\n')) {
        if (line.length === 0) continue;
        const item = JSON.parse(line) as Item;
        state.items.set(this.keyOf(definition, item, 'item'), item);
      }
      state.offset += complete;
      return state;
    } finally {
      await handle.close();
    }
  }

  private async putItem(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const definition = await this.definitionForWrite(String(input.TableName));
    const item = input.Item as Item | undefined;
    if (!item || typeof item !== 'object') throw validation('PutItem needs Item as a map of AttributeValues');
    if (input.ConditionExpression !== undefined) {
      throw validation('ConditionExpression is not supported by the local DynamoDB emulator');
    }
    this.keyOf(definition, item, 'item');
    const line = JSON.stringify(item);
    checkItemSize(item);
    await this.append(definition.TableName, `${line}\n`);
    return {};
  }

  /** PutRequests only (up to 25, as DynamoDB allows); one append per table, so a batch costs one write. */
  private async batchWriteItem(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const requestItems = input.RequestItems as Record<string, Array<Record<string, unknown>>> | undefined;
    if (!requestItems || typeof requestItems !== 'object' || Object.keys(requestItems).length === 0) {
      throw validation('BatchWriteItem needs RequestItems: a map of table name to a list of PutRequest');
    }
    const total = Object.values(requestItems).reduce((n, requests) => n + (Array.isArray(requests) ? requests.length : 0), 0);
    if (total === 0 || total > 25) {
      throw validation(`1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length less than or equal to 25 and at least 1 (got ${total} requests)`);
    }
    const writes: Array<{ table: string; text: string }> = [];
    for (const [table, requests] of Object.entries(requestItems)) {
      const definition = await this.definitionForWrite(table);
      let text = '';
      for (const request of requests) {
        if (request.DeleteRequest !== undefined) throw validation('DeleteRequest is not supported by the local DynamoDB emulator');
        const item = (request.PutRequest as { Item?: Item } | undefined)?.Item;
        if (!item || typeof item !== 'object') throw validation('Each BatchWriteItem request needs PutRequest.Item as a map of AttributeValues');
        this.keyOf(definition, item, 'item');
        const line = JSON.stringify(item);
        checkItemSize(item);
        text += `${line}\n`;
      }
      writes.push({ table, text });
    }
    await Promise.all(writes.map((write) => this.append(write.table, write.text)));
    return { UnprocessedItems: {} };
  }

  private async getItem(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const definition = await this.definition(String(input.TableName));
    const key = input.Key as Record<string, unknown> | undefined;
    if (!key) throw validation('GetItem needs Key');
    if (Object.keys(key).length !== definition.KeySchema.length) {
      throw validation('The provided key element does not match the schema');
    }
    const state = await this.load(definition);
    const item = state.items.get(this.keyOf(definition, key, 'key'));
    return item ? { Item: item } : {};
  }

  private async scan(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const definition = await this.definition(String(input.TableName));
    const state = await this.load(definition);
    return this.page(definition, [...state.items.values()], input);
  }

  /** Query on the partition key with an optional sort-key condition (key-condition.ts). */
  private async query(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const definition = await this.definition(String(input.TableName));
    const expression = input.KeyConditionExpression;
    if (typeof expression !== 'string') throw validation('Query needs KeyConditionExpression');
    const { hashName, hashValue, rangeName, rangeTest } = parseKeyCondition(expression, input);
    const hashKey = definition.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
    const rangeKey = definition.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    if (hashName !== hashKey) throw validation(`Query condition missed key schema element: ${hashKey}`);
    if (rangeName !== undefined && rangeName !== rangeKey) throw validation(`Query key condition not supported: ${rangeName} is not the sort key`);
    const state = await this.load(definition);
    const matches = [...state.items.values()].filter(
      (item) => scalar(item[hashKey]) === hashValue && (rangeKey === undefined || rangeTest(scalar(item[rangeKey]))),
    );
    if (rangeKey) matches.sort((a, b) => compare(scalar(a[rangeKey])!, scalar(b[rangeKey])!));
    if (input.ScanIndexForward === false) matches.reverse();
    return this.page(definition, matches, input);
  }

  private page(definition: TableDefinition, items: Item[], input: Record<string, unknown>): Record<string, unknown> {
    let start = 0;
    if (input.ExclusiveStartKey) {
      const after = this.keyOf(definition, input.ExclusiveStartKey as Record<string, unknown>, 'ExclusiveStartKey');
      start = items.findIndex((item) => this.keyOf(definition, item, 'item') === after) + 1;
    }
    const limit = typeof input.Limit === 'number' ? input.Limit : items.length;
    const page = items.slice(start, start + limit);
    const out: Record<string, unknown> = { Items: page, Count: page.length, ScannedCount: page.length };
    if (start + limit < items.length && page.length > 0) {
      const last = page.at(-1)!;
      out.LastEvaluatedKey = Object.fromEntries(definition.KeySchema.map((k) => [k.AttributeName, last[k.AttributeName]]));
    }
    return out;
  }
}
