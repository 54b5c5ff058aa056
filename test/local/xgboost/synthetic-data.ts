/**
 * Deterministic synthetic 3-class data for the XGBoost tests and the scoring benchmark: ~20
 * numeric features, some missing (written as empty CSV fields), labels from a noisy linear rule.
 */

import { writeFile } from 'node:fs/promises';

export interface SyntheticData {
  /** Row-major features, NaN = missing. */
  features: Float64Array;
  labels: Int32Array;
  numRows: number;
  numFeatures: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeSyntheticData(numRows: number, options: { numFeatures?: number; missingRate?: number; seed?: number } = {}): SyntheticData {
  const numFeatures = options.numFeatures ?? 20;
  const missingRate = options.missingRate ?? 0.1;
  const random = mulberry32(options.seed ?? 7);
  const features = new Float64Array(numRows * numFeatures);
  const labels = new Int32Array(numRows);
  for (let r = 0; r < numRows; r++) {
    let signal = 0;
    for (let f = 0; f < numFeatures; f++) {
      // four decimals: the text both XGBoost and the scorer read is what the CSV holds
      const value = Math.round((random() * 4 - 2) * 10_000) / 10_000;
      if (f < 4) signal += value * (f % 2 === 0 ? 1 : -0.5);
      features[r * numFeatures + f] = random() < missingRate ? NaN : value;
    }
    const noisy = signal + (random() - 0.5) * 1.5;
    labels[r] = noisy < -0.7 ? 0 : noisy < 0.7 ? 1 : 2;
  }
  return { features, labels, numRows, numFeatures };
}

function rowText(data: SyntheticData, r: number): string {
  const values: string[] = [];
  for (let f = 0; f < data.numFeatures; f++) {
    const value = data.features[r * data.numFeatures + f]!;
    values.push(Number.isNaN(value) ? '' : String(value));
  }
  return values.join(',');
}

/** Headerless label-first CSV, as SageMaker XGBoost trains on. */
export async function writeLabeledCsv(data: SyntheticData, path: string): Promise<void> {
  const lines: string[] = [];
  for (let r = 0; r < data.numRows; r++) lines.push(`${data.labels[r]},${rowText(data, r)}`);
  await writeFile(path, `${lines.join('\n')}\n`);
}

/** Features only, as batch transform and /invocations take them. */
export function featuresCsvText(data: SyntheticData, from = 0, to = data.numRows): string {
  const lines: string[] = [];
  for (let r = from; r < to; r++) lines.push(rowText(data, r));
  return `${lines.join('\n')}\n`;
}
