/**
 * The training distribution drift is measured against: for each model feature, the bins fitted on
 * the training split and the share of training rows in each bin. Built from the gold XGBoost train
 * CSV (label first, no header, features in the order of serving/feature_list.json) and cached as
 * JSON, so the scheduled check reads the CSV once per model.
 */
import { binCounts, fitFeatureBins, type FeatureBins } from './feature-bins.js';
import { binShares } from './psi.js';

export interface FeatureBaseline {
  name: string;
  bins: FeatureBins;
  expectedShares: number[];
}

export interface TrainingBaseline {
  runId: string;
  /** Training rows the bins were fitted on (a uniform sample when the split is larger). */
  sampledRows: number;
  totalRows: number;
  features: FeatureBaseline[];
}

/**
 * Keeps a uniform random sample of at most `capacity` rows (reservoir sampling, seeded so the
 * same training file always gives the same baseline).
 */
export class RowReservoir {
  readonly rows: number[][] = [];
  seen = 0;
  private state: number;

  constructor(
    readonly capacity: number,
    seed = 0x5eed,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`Reservoir capacity must be a positive integer, got ${capacity}`);
    this.state = seed >>> 0;
  }

  add(row: number[]): void {
    this.seen += 1;
    if (this.rows.length < this.capacity) {
      this.rows.push(row);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) this.rows[slot] = row;
  }

  // mulberry32: small, fast, deterministic.
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/**
 * Parses one line of the label-first training CSV into its feature values (the label is dropped).
 * Empty fields are missing values (NaN), as XGBoost reads them.
 */
export function parseTrainingLine(line: string, featureCount: number, lineNumber: number): number[] | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  const fields = trimmed.split(',');
  if (fields.length !== featureCount + 1) {
    throw new Error(`Training CSV line ${lineNumber} has ${fields.length} fields, expected ${featureCount + 1} (label + ${featureCount} features of feature_list.json)`);
  }
  return fields.slice(1).map((field) => (field === '' ? Number.NaN : Number(field)));
}

export function buildTrainingBaseline(runId: string, featureNames: readonly string[], reservoir: RowReservoir): TrainingBaseline {
  if (reservoir.rows.length === 0) throw new Error(`The training split of run ${runId} has no rows: there is no distribution to compare with`);
  const features = featureNames.map((name, column) => {
    const values = reservoir.rows.map((row) => row[column]!);
    const bins = fitFeatureBins(values);
    return { name, bins, expectedShares: binShares(binCounts(bins, values)) };
  });
  return { runId, sampledRows: reservoir.rows.length, totalRows: reservoir.seen, features };
}
