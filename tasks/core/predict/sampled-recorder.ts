/**
 * Writes a fixed share of inferences to the log. The choice hashes the inference id, so it is
 * uniform over requests, independent of the basket, and the same id is always in or out — the
 * drift check's distributions stay unbiased while the log costs a tenth (docs/COST.md).
 */
import { createHash } from 'node:crypto';
import type { InferenceRecord, InferenceRecorder } from './inference-log.js';

/** Whether an inference id falls into a sample of the given share (0 < rate <= 1). */
export function inSample(inferenceId: string, rate: number): boolean {
  if (rate >= 1) return true;
  const bucket = createHash('sha256').update(inferenceId).digest().readUInt32BE(0) / 0x1_0000_0000;
  return bucket < rate;
}

export class SampledInferenceRecorder implements InferenceRecorder {
  constructor(
    private readonly target: InferenceRecorder,
    private readonly rate: number,
  ) {
    if (!(rate > 0 && rate <= 1)) throw new Error(`The inference log sample rate must be above 0 and at most 1, got ${rate}`);
  }

  async record(record: InferenceRecord): Promise<void> {
    if (inSample(record.inferenceId, this.rate)) await this.target.record(record);
  }
}
