/**
 * Inference records written after the response, in order, by one background writer: the local
 * DynamoDB table appends a line per PutItem, which must not sit on /predict's latency path. The
 * queue is bounded so a slow disk costs dropped log records (counted), never memory or requests.
 * Local only: a Lambda is frozen after it answers, so tasks/predict.ts awaits its PutItem.
 */
import type { InferenceRecord, InferenceRecorder } from '../../tasks/core/predict/inference-log.js';

export interface WriteBehindStats {
  queued: number;
  written: number;
  failed: number;
  dropped: number;
}

export class WriteBehindRecorder implements InferenceRecorder {
  private queue: InferenceRecord[] = [];
  private draining: Promise<void> | undefined;
  private readonly counts = { written: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly target: InferenceRecorder,
    private readonly options: { maxQueued?: number; batch?: number; onError?: (error: unknown) => void } = {},
  ) {}

  async record(record: InferenceRecord): Promise<void> {
    if (this.queue.length >= (this.options.maxQueued ?? 10_000)) {
      this.counts.dropped += 1;
      return;
    }
    this.queue.push(record);
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    // Let the responses of this tick go out first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const batch = this.options.batch ?? 250;
    while (this.queue.length > 0) {
      const taken = this.queue.splice(0, batch);
      const results = this.target.recordBatch
        ? await this.target.recordBatch(taken).then(
            () => taken.map(() => ({ status: 'fulfilled' as const })),
            (reason: unknown) => taken.map(() => ({ status: 'rejected' as const, reason })),
          )
        : await Promise.allSettled(taken.map((record) => this.target.record(record)));
      for (const result of results) {
        if (result.status === 'fulfilled') this.counts.written += 1;
        else {
          this.counts.failed += 1;
          this.options.onError?.(result.reason);
        }
      }
    }
    this.draining = undefined;
  }

  /** Resolves when everything queued so far is written (or failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  stats(): WriteBehindStats {
    return { queued: this.queue.length, ...this.counts };
  }
}
