/**
 * The local S3 trigger: objects landing in the raw zone start exactly one execution each, through
 * the real start-execution Lambda and the local Step Functions API. The files here fail fast at
 * ValidateInput, which is enough to see who started what, and with which input.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { openLocalPipeline, startLocalExecution, type LocalPipeline } from '../../../local/pipeline-runner/local-pipeline.js';
import { RawZoneWatcher } from '../../../local/pipeline-runner/raw-zone-watcher.js';
import { RAW_COLUMNS } from '../../../workflow/dataset-schema.js';

let pipeline: LocalPipeline;

function drop(key: string, body: string): void {
  const path = localObjectPath(pipeline.stateDir, pipeline.rawBucket, key);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
}

beforeAll(async () => {
  pipeline = await openLocalPipeline({ stateDir: mkdtempSync(join(tmpdir(), 'pricesense-watch-')) });
}, 180_000);

describe('RawZoneWatcher', () => {
  it('starts one execution per new CSV with the EventBridge event as input, and ignores other files', async () => {
    drop('raw/header-only.csv', `${RAW_COLUMNS.join(',')}\n`);
    drop('raw/notes.txt', 'not data');
    const watcher = new RawZoneWatcher(pipeline);

    const outcomes = await watcher.scanOnce();
    const results = await watcher.idle();

    const started = outcomes.find((o) => o.key === 'raw/header-only.csv');
    expect(started?.status).toBe('started');
    expect(outcomes.find((o) => o.key === 'raw/notes.txt')?.status).toBe('ignored');
    expect(results).toHaveLength(1);
    expect(results[0]?.name).toBe(started?.executionName);
    expect(results[0]?.error).toBe('InvalidRawFile');
    const input = JSON.parse(pipeline.executions.read(started!.executionName!).input) as { 'detail-type': string; detail: { object: { key: string } } };
    expect(input['detail-type']).toBe('Object Created');
    expect(input.detail.object.key).toBe('raw/header-only.csv');
  }, 120_000);

  it('never starts a second execution for the same object, even after a restart', async () => {
    const restarted = new RawZoneWatcher(pipeline);

    const outcomes = await restarted.scanOnce();
    const results = await restarted.idle();

    expect(outcomes.find((o) => o.key === 'raw/header-only.csv')?.status).toBe('duplicate');
    expect(results).toEqual([]);
    expect(pipeline.executions.list()).toHaveLength(1);
  }, 60_000);

  it('waits until a file stops changing before it starts anything (a copy in progress is not an upload)', async () => {
    drop('raw/growing.csv', `${RAW_COLUMNS.join(',')}\n`);
    const watcher = new RawZoneWatcher(pipeline);

    const scanning = watcher.scanOnce({ settleMs: 400 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    drop('raw/growing.csv', `${RAW_COLUMNS.join(',')}\n${'x,'.repeat(21)}x\n`);
    const whileGrowing = await scanning;
    const afterwards = await watcher.scanOnce({ settleMs: 50 });
    await watcher.idle();

    expect(whileGrowing.find((o) => o.key === 'raw/growing.csv')).toBeUndefined();
    expect(afterwards.find((o) => o.key === 'raw/growing.csv')?.status).toBe('started');
  }, 60_000);

  it('starts again when the object is replaced by different content (new ETag)', async () => {
    drop('raw/header-only.csv', `${RAW_COLUMNS.join(',')}\n\n`);
    const watcher = new RawZoneWatcher(pipeline);

    const outcomes = await watcher.scanOnce();
    await watcher.idle();

    expect(outcomes.find((o) => o.key === 'raw/header-only.csv')?.status).toBe('started');
    expect(pipeline.executions.list()).toHaveLength(3);
  }, 60_000);

  it('starts nothing for an object an earlier `pricesense run` already ran on (console input)', async () => {
    drop('raw/staged-by-run.csv', `${RAW_COLUMNS.join(',')}\n`);
    await startLocalExecution(pipeline, { input: { bucket: pipeline.rawBucket, key: 'raw/staged-by-run.csv' }, executionName: 'run-staged' });
    const watcher = new RawZoneWatcher(pipeline);

    const outcomes = await watcher.scanOnce({ settleMs: 50 });
    const results = await watcher.idle();

    expect(outcomes.find((o) => o.key === 'raw/staged-by-run.csv')).toEqual({
      key: 'raw/staged-by-run.csv',
      status: 'duplicate',
      executionName: 'run-staged',
      reason: 'execution run-staged already ran on this object',
    });
    expect(results).toEqual([]);
  }, 60_000);
});
