/** Compares recent inference rows with the training baseline: PSI per feature and the maximum. */
import { binCounts } from './feature-bins.js';
import { binShares, populationStabilityIndex, PSI_ALARM_THRESHOLD } from './psi.js';
import type { InferenceFeatureRow } from './inference-records.js';
import type { TrainingBaseline } from './training-baseline.js';

export interface FeatureDrift {
  feature: string;
  psi: number;
}

export type DriftReport =
  | { status: 'measured'; runId: string; samples: number; maxPsi: number; maxPsiFeature: string; drifted: string[]; features: FeatureDrift[] }
  | { status: 'insufficient-data'; runId: string; samples: number; minSamples: number };

export function measureDrift(baseline: TrainingBaseline, rows: readonly InferenceFeatureRow[], minSamples: number, threshold = PSI_ALARM_THRESHOLD): DriftReport {
  if (rows.length < minSamples) return { status: 'insufficient-data', runId: baseline.runId, samples: rows.length, minSamples };
  const features = baseline.features.map(({ name, bins, expectedShares }) => {
    const actualShares = binShares(binCounts(bins, rows.map((row) => row.values[name])));
    return { feature: name, psi: populationStabilityIndex(expectedShares, actualShares) };
  });
  let worst = features[0] ?? { feature: '', psi: 0 };
  for (const drift of features) if (drift.psi > worst.psi) worst = drift;
  return {
    status: 'measured',
    runId: baseline.runId,
    samples: rows.length,
    maxPsi: worst.psi,
    maxPsiFeature: worst.feature,
    drifted: features.filter((drift) => drift.psi > threshold).map((drift) => drift.feature),
    features,
  };
}
