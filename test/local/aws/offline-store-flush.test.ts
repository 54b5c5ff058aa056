/**
 * When the local offline store writes its buffered rows: once puts pause for flushAfterMs (a burst
 * of PutRecords is one Parquet file, not one per 10,000 rows), and never later than maxDelayMs
 * after the first buffered row, or at maxBufferedRows.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFeatureStore, type LocalFeatureStore } from '../../../local/aws/feature-store/index.js';

let store: LocalFeatureStore;
let stateDir: string;

async function put(id: string): Promise<void> {
  await store.runtime.call('PutRecord', {
    FeatureGroupName: 'customers',
    Record: [
      { FeatureName: 'customer_id', ValueAsString: id },
      { FeatureName: 'event_time', ValueAsString: '1700000000' },
    ],
  });
}

beforeEach(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'pricesense-offline-'));
  store = createFeatureStore(stateDir, { maxBufferedRows: 8, flushAfterMs: 2000, maxDelayMs: 10_000 });
  await store.groups.call('CreateFeatureGroup', {
    FeatureGroupName: 'customers',
    RecordIdentifierFeatureName: 'customer_id',
    EventTimeFeatureName: 'event_time',
    FeatureDefinitions: [
      { FeatureName: 'customer_id', FeatureType: 'String' },
      { FeatureName: 'event_time', FeatureType: 'Fractional' },
    ],
    OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://offline/customers' } },
  });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(async () => {
  vi.useRealTimers();
  await store.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('offline store flushes', () => {
  it('wait until puts pause for flushAfterMs', async () => {
    await put('C1');
    vi.advanceTimersByTime(1500);
    await put('C2');
    vi.advanceTimersByTime(1500);
    const afterBurst = store.offline.bufferedRows();

    vi.advanceTimersByTime(600);

    expect([afterBurst, store.offline.bufferedRows()]).toEqual([2, 0]);
  });

  it('come no later than maxDelayMs after the first buffered row, however steady the puts', async () => {
    // A put every 1.5 s: each postpones the quiet-period flush, none lets it fire.
    for (let i = 0; i < 7; i++) {
      if (i > 0) vi.advanceTimersByTime(1500);
      await put(`C${i}`);
    }
    const atNineSeconds = store.offline.bufferedRows();

    vi.advanceTimersByTime(1001);

    expect([atNineSeconds, store.offline.bufferedRows()]).toEqual([7, 0]);
  });

  it('flush at maxBufferedRows without waiting', async () => {
    for (let i = 0; i < 8; i++) await put(`C${i}`);

    expect(store.offline.bufferedRows()).toBe(0);
  });

  it('a write that failed does not stop the next flush from writing', async () => {
    // The offline bucket's folder is a file: the first flush cannot create its partition folder.
    const bucketDir = join(stateDir, 's3', 'offline');
    mkdirSync(join(stateDir, 's3'), { recursive: true });
    writeFileSync(bucketDir, 'not a folder');
    await put('C1');
    await expect(store.offline.flush()).rejects.toThrow();

    rmSync(bucketDir);
    await put('C2');
    await store.offline.flush();

    const files = readdirSync(bucketDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.parquet'));
    expect(files).toHaveLength(1);
  });
});
