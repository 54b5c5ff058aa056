import { describe, expect, it } from 'vitest';
import type { InferenceRecord } from '../../tasks/core/predict/inference-log.js';
import { inSample, SampledInferenceRecorder } from '../../tasks/core/predict/sampled-recorder.js';

const ids = Array.from({ length: 20_000 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);

describe('SampledInferenceRecorder', () => {
  it('writes about the configured share of inferences (1 in 10 of 20,000 ids: 2,000 ± 150)', () => {
    const kept = ids.filter((id) => inSample(id, 0.1)).length;
    expect(kept).toBeGreaterThan(1850);
    expect(kept).toBeLessThan(2150);
  });

  it('decides the same way every time for one inference id', () => {
    expect(ids.slice(0, 100).map((id) => inSample(id, 0.1))).toEqual(ids.slice(0, 100).map((id) => inSample(id, 0.1)));
  });

  it('passes every record through at rate 1 and only sampled ones below it', async () => {
    const written: string[] = [];
    const target = { record: async (record: InferenceRecord) => void written.push(record.inferenceId) };
    const all = new SampledInferenceRecorder(target, 1);
    const tenth = new SampledInferenceRecorder(target, 0.1);
    for (const id of ids.slice(0, 50)) await all.record({ inferenceId: id } as InferenceRecord);
    for (const id of ids.slice(0, 1000)) await tenth.record({ inferenceId: id } as InferenceRecord);
    expect(written.slice(0, 50)).toEqual(ids.slice(0, 50));
    expect(written.slice(50)).toEqual(ids.slice(0, 1000).filter((id) => inSample(id, 0.1)));
  });

  it('rejects a rate outside (0, 1] naming the value', () => {
    expect(() => new SampledInferenceRecorder({ record: async () => undefined }, 0)).toThrow('must be above 0 and at most 1, got 0');
  });
});
