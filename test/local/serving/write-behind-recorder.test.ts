import { describe, expect, it } from 'vitest';
import type { InferenceRecord, InferenceRecorder } from '../../../tasks/core/predict/inference-log.js';
import { WriteBehindRecorder } from '../../../local/serving/write-behind-recorder.js';

function record(n: number): InferenceRecord {
  return { inferenceId: `id-${n}`, basketId: String(n), modelVersion: 'm/1', features: { items: n }, probabilities: { LA: 0.2, MM: 0.3, UM: 0.5 }, label: 'UM', timestamp: '2026-01-01T00:00:00.000Z', customerId: null, latencyMs: 1 };
}

/** A batch store whose writes finish only when the test releases them. */
class GatedStore implements InferenceRecorder {
  readonly batches: string[][] = [];
  private gate: Promise<void>;
  private open!: () => void;

  constructor(private readonly failWith?: Error) {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  async record(): Promise<void> {
    throw new Error('only batches are expected');
  }

  async recordBatch(records: readonly InferenceRecord[]): Promise<void> {
    await this.gate;
    if (this.failWith) throw this.failWith;
    this.batches.push(records.map((r) => r.inferenceId));
  }
}

describe('WriteBehindRecorder', () => {
  it('writes every record once, in order, in batches of at most the batch size', async () => {
    const store = new GatedStore();
    store.release();
    const recorder = new WriteBehindRecorder(store, { batch: 25, writers: 1 });

    for (let i = 0; i < 60; i++) await recorder.record(record(i));
    await recorder.flush();

    expect([store.batches.flat(), Math.max(...store.batches.map((b) => b.length)), recorder.stats()]).toEqual([
      Array.from({ length: 60 }, (_, i) => `id-${i}`),
      25,
      { queued: 0, waiting: 0, written: 60, failed: 0, dropped: 0, backpressured: 0 },
    ]);
  });

  it('holds requests when the queue is full and writes their records once there is room, dropping none', async () => {
    const store = new GatedStore();
    const recorder = new WriteBehindRecorder(store, { maxQueued: 10, batch: 5, writers: 1, lingerMs: 0 });

    const answered = Array.from({ length: 30 }, (_, i) => recorder.record(record(i)));
    await new Promise((resolve) => setImmediate(resolve));
    const held = recorder.stats();
    store.release();
    await Promise.all(answered);
    await recorder.flush();

    expect([held.waiting > 0, store.batches.flat().length, recorder.stats().dropped, recorder.stats().written]).toEqual([true, 30, 0, 30]);
  });

  it('drops a held record after maxWaitMs, counts it and reports the total', async () => {
    const store = new GatedStore();
    const drops: number[] = [];
    const recorder = new WriteBehindRecorder(store, { maxQueued: 2, batch: 1, writers: 1, lingerMs: 0, maxWaitMs: 10, onDrop: (total) => drops.push(total) });

    await Promise.all(Array.from({ length: 5 }, (_, i) => recorder.record(record(i))));
    const stats = recorder.stats();
    store.release();
    await recorder.flush();

    expect([stats.dropped, stats.backpressured, drops, store.batches.flat()]).toEqual([2, 3, [1, 2], ['id-0', 'id-1', 'id-2']]);
  });

  it('counts a failed write as failed records and reports the error', async () => {
    const store = new GatedStore(new Error('disk full'));
    store.release();
    const errors: string[] = [];
    const recorder = new WriteBehindRecorder(store, { batch: 25, onError: (error, records) => errors.push(`${records}: ${(error as Error).message}`) });

    for (let i = 0; i < 3; i++) await recorder.record(record(i));
    await recorder.flush();

    expect([recorder.stats().failed, recorder.stats().written, errors]).toEqual([3, 0, ['3: disk full']]);
  });
});
