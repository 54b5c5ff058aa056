/**
 * Inference records written after the response, in batches, by a few background writers: the
 * local DynamoDB table appends a line per item, which must not sit on /predict's latency path.
 *
 * Nothing is dropped silently. Records queue up to `maxQueued`; a full queue pushes back: the
 * request that wants to record waits (its response is held) until a writer makes room. So under
 * sustained overload /predict slows down to the rate the table can take instead of growing memory
 * or losing records. Only a record that waited `maxWaitMs` without room (the table stopped taking
 * writes) is dropped, and then it is counted and reported through `onDrop`. A write that fails is
 * counted as failed and reported through `onError`.
 * Local only: a Lambda is frozen after it answers, so tasks/predict.ts awaits its PutItem.
 */
import type { InferenceRecord, InferenceRecorder } from '../../tasks/core/predict/inference-log.js';

export interface WriteBehindStats {
  /** Records waiting to be written. */
  queued: number;
  /** Requests held because the queue was full (backpressure), now. */
  waiting: number;
  written: number;
  failed: number;
  dropped: number;
  /** Times a request had to wait for room, since the start. */
  backpressured: number;
}

export interface WriteBehindOptions {
  /** Records held in memory at most. @default 10000 */
  maxQueued?: number;
  /** Records per write (DynamoDB's BatchWriteItem takes 25). @default 25 */
  batch?: number;
  /** Writes in flight at once. @default 4 */
  writers?: number;
  /** How long a partial batch waits for more records. @default 2 */
  lingerMs?: number;
  /** How long a request waits for room in a full queue before its record is dropped. @default 5000 */
  maxWaitMs?: number;
  onError?: (error: unknown, records: number) => void;
  /** A record was dropped after waiting `maxWaitMs`; `total` counts all drops so far. */
  onDrop?: (total: number) => void;
}

interface Waiter {
  record: InferenceRecord;
  resolve(): void;
  timer: NodeJS.Timeout;
}

export class WriteBehindRecorder implements InferenceRecorder {
  private queue: InferenceRecord[] = [];
  /** Requests held by backpressure, oldest first. */
  private readonly waiters: Waiter[] = [];
  private active = 0;
  private scheduled = false;
  private idle: Array<() => void> = [];
  private readonly counts = { written: 0, failed: 0, dropped: 0, backpressured: 0 };
  private readonly maxQueued: number;
  private readonly batch: number;
  private readonly writers: number;
  private readonly lingerMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly target: InferenceRecorder,
    private readonly options: WriteBehindOptions = {},
  ) {
    this.maxQueued = options.maxQueued ?? 10_000;
    this.batch = options.batch ?? 25;
    this.writers = options.writers ?? 4;
    this.lingerMs = options.lingerMs ?? 2;
    this.maxWaitMs = options.maxWaitMs ?? 5000;
  }

  record(record: InferenceRecord): Promise<void> {
    if (this.queue.length < this.maxQueued && this.waiters.length === 0) {
      this.queue.push(record);
      this.schedule();
      return Promise.resolve();
    }
    this.counts.backpressured += 1;
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        record,
        resolve,
        timer: setTimeout(() => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          this.counts.dropped += 1;
          this.options.onDrop?.(this.counts.dropped);
          resolve();
        }, this.maxWaitMs),
      };
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  /** Starts writers up to the limit, after the responses of this tick have gone out. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.active < this.writers && this.queue.length > 0) {
        this.active += 1;
        void this.write();
      }
    });
  }

  /** Moves held requests' records into the room a write made. */
  private admitWaiters(): void {
    while (this.waiters.length > 0 && this.queue.length < this.maxQueued) {
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.timer);
      this.queue.push(waiter.record);
      waiter.resolve();
    }
  }

  private async write(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // A partial batch waits a moment for company: fewer, fuller writes.
        if (this.queue.length < this.batch && this.lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
        if (this.queue.length === 0) break;
        const taken = this.queue.splice(0, this.batch);
        this.admitWaiters();
        await this.writeBatch(taken);
      }
    } finally {
      this.active -= 1;
      if (this.active === 0 && this.queue.length === 0) {
        const idle = this.idle;
        this.idle = [];
        for (const resolve of idle) resolve();
      } else if (this.queue.length > 0) this.schedule();
    }
  }

  private async writeBatch(records: InferenceRecord[]): Promise<void> {
    try {
      if (this.target.recordBatch) await this.target.recordBatch(records);
      else await Promise.all(records.map((record) => this.target.record(record)));
      this.counts.written += records.length;
    } catch (error) {
      this.counts.failed += records.length;
      this.options.onError?.(error, records.length);
    }
  }

  /** Resolves when everything queued or held so far is written (or failed, or dropped). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.waiters.length > 0 || this.active > 0) {
      this.schedule();
      await new Promise<void>((resolve) => this.idle.push(resolve));
    }
  }

  stats(): WriteBehindStats {
    return { queued: this.queue.length, waiting: this.waiters.length, ...this.counts };
  }
}
