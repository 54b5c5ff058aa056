import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeatureStore as createStore, type LocalFeatureStore, type OfflineStoreOptions } from '../../../local/aws/feature-store/index.js';
import { localObjectPath } from '../../../local/aws/s3-location.js';

let stateDir: string;
let store: LocalFeatureStore;

const record = (id: string, eventTime: string, baskets: string) => [
  { FeatureName: 'customer_id', ValueAsString: id },
  { FeatureName: 'event_time', ValueAsString: eventTime },
  { FeatureName: 'prior_baskets', ValueAsString: baskets },
];

/** Every store a test opens is closed after it: the online log's read handles stay open otherwise. */
const opened: LocalFeatureStore[] = [];
function createFeatureStore(dir: string, options?: OfflineStoreOptions): LocalFeatureStore {
  const created = createStore(dir, options);
  opened.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((each) => each.close()));
});

beforeEach(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'fs-test-'));
  store = createFeatureStore(stateDir, { maxBufferedRows: 1000, flushAfterMs: 60_000 });
  await store.groups.call('CreateFeatureGroup', {
    FeatureGroupName: 'customers',
    RecordIdentifierFeatureName: 'customer_id',
    EventTimeFeatureName: 'event_time',
    FeatureDefinitions: [
      { FeatureName: 'customer_id', FeatureType: 'String' },
      { FeatureName: 'event_time', FeatureType: 'Fractional' },
      { FeatureName: 'prior_baskets', FeatureType: 'Integral' },
    ],
    OnlineStoreConfig: { EnableOnlineStore: true },
    OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://offline-bucket/features' } },
  });
});

async function online(id: string) {
  return store.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: id });
}

describe('feature group metadata', () => {
  it('describes a created group with its resolved offline location', async () => {
    const out = await store.groups.call('DescribeFeatureGroup', { FeatureGroupName: 'customers' });
    expect(out).toMatchObject({ FeatureGroupStatus: 'Created', RecordIdentifierFeatureName: 'customer_id', OfflineStoreStatus: { Status: 'Active' } });
    expect((out.OfflineStoreConfig as { S3StorageConfig: { ResolvedOutputS3Uri: string } }).S3StorageConfig.ResolvedOutputS3Uri).toMatch(
      /^s3:\/\/offline-bucket\/features\/000000000000\/sagemaker\/us-east-1\/offline-store\/customers-\d+\/data$/,
    );
  });

  it('refuses a second group of the same name with ResourceInUse', async () => {
    const again = store.groups.call('CreateFeatureGroup', {
      FeatureGroupName: 'customers',
      RecordIdentifierFeatureName: 'customer_id',
      EventTimeFeatureName: 'event_time',
      FeatureDefinitions: [{ FeatureName: 'customer_id', FeatureType: 'String' }, { FeatureName: 'event_time', FeatureType: 'Fractional' }],
      OnlineStoreConfig: {},
    });
    await expect(again).rejects.toMatchObject({ name: 'ResourceInUse' });
  });

  it('reports an unknown group as ResourceNotFound', async () => {
    await expect(store.groups.call('DescribeFeatureGroup', { FeatureGroupName: 'nope' })).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });

  it('lists groups', async () => {
    const out = await store.groups.call('ListFeatureGroups', {});
    expect((out.FeatureGroupSummaries as Array<{ FeatureGroupName: string }>).map((g) => g.FeatureGroupName)).toEqual(['customers']);
  });
});

describe('online store', () => {
  it('returns the record that was put', async () => {
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '3') });
    expect((await online('C1')).Record).toEqual(record('C1', '1700000000', '3'));
  });

  it('replaces the online record with a newer event time', async () => {
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '3') });
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700003600', '5') });
    expect((await online('C1')).Record).toEqual(record('C1', '1700003600', '5'));
  });

  it('keeps the online record when a put has an older event time', async () => {
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700003600', '5') });
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '3') });
    expect((await online('C1')).Record).toEqual(record('C1', '1700003600', '5'));
  });

  it('keeps a deleted record deleted when an older put arrives after the delete', async () => {
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '3') });
    await store.runtime.call('DeleteRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C1', EventTime: '1700000010' });
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000005', '4') });
    expect(await online('C1')).toEqual({});
  });

  it('writes online log lines that another process reads back unchanged (quotes, backslashes, non-ASCII ids)', async () => {
    const ids = ['C"1', 'C\\2', 'Kund\u00e9 3', '\u{1F600}'];
    for (const id of ids) await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record(id, '1700000000.25', '7') });
    const other = createFeatureStore(stateDir);
    for (const id of ids) {
      expect((await other.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: id })).Record).toEqual(record(id, '1700000000.25', '7'));
    }
    const lines = readFileSync(join(stateDir, 'feature-store', 'online', 'customers.jsonl'), 'utf8').split('\n').filter((line) => line.length > 0);
    expect(lines.map((line) => JSON.stringify(JSON.parse(line)))).toEqual(lines);
  });

  it('close() closes the online log handle a read keeps open (a store left to the garbage collector warned)', async () => {
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '1') });
    const log = join(stateDir, 'feature-store', 'online', 'customers.jsonl');
    const openOnLog = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(join('/proc/self/fd', fd)) === log;
      } catch {
        return false;
      }
    }).length;
    await store.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C1' });
    const whileOpen = openOnLog();

    await store.close();

    expect([whileOpen, openOnLog()]).toEqual([1, 0]);
    // Closed is not broken: the next read reopens the log.
    expect((await store.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C1' })).Record).toEqual(record('C1', '1700000000', '1'));
  });

  it('reads a log longer than its read chunk (8 MiB) line by line, ignoring a half-written last line', async () => {
    // 30,000 puts of ~400 bytes with multi-byte characters (~12 MiB): lines and characters cross chunk ends
    const padding = '\u00e9\u{1F600}'.repeat(60);
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i += 1) {
      const values = [
        { FeatureName: 'customer_id', ValueAsString: `C${i % 20_000}` },
        { FeatureName: 'event_time', ValueAsString: String(1_700_000_000 + i) },
        { FeatureName: 'prior_baskets', ValueAsString: `${i}${padding}` },
      ];
      lines.push(JSON.stringify({ op: 'put', id: `C${i % 20_000}`, eventTimeMs: (1_700_000_000 + i) * 1000, record: values }));
    }
    const log = join(stateDir, 'feature-store', 'online', 'customers.jsonl');
    mkdirSync(dirname(log), { recursive: true });
    writeFileSync(log, `${lines.join('\n')}\n{"op":"put","id":"C1","eventTi`);
    expect(statSync(log).size).toBeGreaterThan(8 * 1024 * 1024);
    const reader = createFeatureStore(stateDir);
    const get = (id: string) => reader.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: id });
    // C5 was put at i = 5 and again at i = 20,005: the later put wins
    expect(((await get('C5')).Record as Array<{ ValueAsString: string }>)[2]?.ValueAsString).toBe(`20005${padding}`);
    expect(((await get('C19999')).Record as Array<{ ValueAsString: string }>)[2]?.ValueAsString).toBe(`19999${padding}`);
    // the half line is read once its writer ends it
    expect(((await get('C1')).Record as Array<{ ValueAsString: string }>)[2]?.ValueAsString).toBe(`20001${padding}`);
    appendFileSync(log, `meMs":1800000000000,"record":${JSON.stringify(record('C1', '1800000000', '42'))}}\n`);
    expect((await get('C1')).Record).toEqual(record('C1', '1800000000', '42'));
  });

  it('keeps the record put after a line a killed writer cut short', async () => {
    const log = join(stateDir, 'feature-store', 'online', 'customers.jsonl');
    mkdirSync(dirname(log), { recursive: true });
    writeFileSync(log, '{"op":"put","id":"C9","eventTimeMs":17');
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '3') });
    const reader = createFeatureStore(stateDir);
    expect((await reader.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C1' })).Record).toEqual(record('C1', '1700000000', '3'));
    expect((await reader.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C9' })).Record).toBeUndefined();
  });

  it('writes puts of one moment in order even when they fill several writes: of equal EventTimes the last put wins', async () => {
    const puts = Array.from({ length: 3_000 }, (_, i) =>
      store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record(`C${i % 7}`, '1700000000', String(i)) }),
    );
    await Promise.all(puts);
    const log = readFileSync(join(stateDir, 'feature-store', 'online', 'customers.jsonl'), 'utf8');
    expect(log.split('\n').slice(0, -1).filter((line) => line.length === 0).length).toBeGreaterThan(1); // each write starts on a new line: more than one write
    const reader = createFeatureStore(stateDir);
    for (let id = 0; id < 7; id += 1) {
      const last = 2_999 - ((2_999 - id) % 7);
      expect((await reader.runtime.call('GetRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: `C${id}` })).Record).toEqual(record(`C${id}`, '1700000000', String(last)));
    }
  });

  it('returns no Record for an unknown identifier', async () => {
    expect(await online('missing')).toEqual({});
  });

  it('removes the online record on DeleteRecord', async () => {
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '3') });
    await store.runtime.call('DeleteRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C1', EventTime: '1700000001' });
    expect(await online('C1')).toEqual({});
  });

  it('returns found records of a batch and errors for unknown groups', async () => {
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '3') });
    const out = await store.runtime.call('BatchGetRecord', {
      Identifiers: [
        { FeatureGroupName: 'customers', RecordIdentifiersValueAsString: ['C1', 'C2'], FeatureNames: ['prior_baskets'] },
        { FeatureGroupName: 'ghost', RecordIdentifiersValueAsString: ['X'] },
      ],
    });
    expect(out.Records).toEqual([{ FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C1', Record: [{ FeatureName: 'prior_baskets', ValueAsString: '3' }] }]);
    expect(out.Errors).toMatchObject([{ FeatureGroupName: 'ghost', RecordIdentifierValueAsString: 'X', ErrorCode: 'ResourceNotFound' }]);
  });

  it('rejects a feature the group does not define, naming it', async () => {
    const put = store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: [...record('C1', '1700000000', '3'), { FeatureName: 'age', ValueAsString: '4' }] });
    await expect(put).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('"age"') });
  });

  it('rejects a non-integer value for an Integral feature', async () => {
    await expect(store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '2.5') })).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('rejects an unparseable event time', async () => {
    await expect(store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', 'yesterday', '2') })).rejects.toThrow(/"yesterday"/);
  });
});

describe('offline store', () => {
  it('writes every put, including older ones, to Parquet partitioned by event hour', async () => {
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700003600', '5') });
    await store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record('C1', '1700000000', '3') });
    await store.flush();
    const root = localObjectPath(stateDir, 'offline-bucket', 'features');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
      `SELECT customer_id, prior_baskets, is_deleted, write_time IS NOT NULL AS has_write_time, api_invocation_time IS NOT NULL AS has_invocation_time,
              regexp_extract(filename, 'hour=(\\d+)', 1) AS hour
       FROM read_parquet('${root}/**/*.parquet', filename = true) ORDER BY event_time`,
    );
    const rows = reader.getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    // 1700000000 = 2023-11-14T22:13:20Z, 1700003600 = 23:13:20Z
    expect(rows).toEqual([
      { customer_id: 'C1', prior_baskets: 3n, is_deleted: false, has_write_time: true, has_invocation_time: true, hour: '22' },
      { customer_id: 'C1', prior_baskets: 5n, is_deleted: false, has_write_time: true, has_invocation_time: true, hour: '23' },
    ]);
  });

  it('records a delete as a row with is_deleted true', async () => {
    await store.runtime.call('DeleteRecord', { FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C9', EventTime: '1700000000' });
    await store.flush();
    const root = localObjectPath(stateDir, 'offline-bucket', 'features');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(`SELECT customer_id, prior_baskets, is_deleted FROM read_parquet('${root}/**/*.parquet')`)).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    // A feature the record does not carry is NULL in its row.
    expect(rows).toEqual([{ customer_id: 'C9', prior_baskets: null, is_deleted: true }]);
  });
});

describe('online store under concurrent writers', () => {
  it('keeps every record readable when puts and reads interleave (no torn log reads)', async () => {
    const ids = Array.from({ length: 200 }, (_, index) => `CUST${String(index).padStart(4, '0')}`);
    const put = (id: string, index: number) =>
      store.runtime.call('PutRecord', { FeatureGroupName: 'customers', Record: record(id, '1777161599', String(index)) });
    // Waves of writes with reads of earlier ids in flight, as concurrent ingestion does.
    for (let wave = 0; wave < 5; wave += 1) {
      const batch = ids.slice(wave * 40, wave * 40 + 40);
      await Promise.all([...batch.map((id) => put(id, ids.indexOf(id))), ...ids.slice(0, wave * 40).map((id) => online(id))]);
    }
    const read = await Promise.all(ids.map((id) => online(id)));
    const baskets = read.map((result) => (result.Record as Array<{ FeatureName: string; ValueAsString: string }>).find((f) => f.FeatureName === 'prior_baskets')?.ValueAsString);
    expect(baskets).toEqual(ids.map((_, index) => String(index)));
  });
});
