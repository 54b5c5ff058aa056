/**
 * Bins of one feature, fixed from the training distribution and then applied to inference rows.
 * Few distinct values (codes, flags, small counts) get one bin each, since quantile edges would
 * collapse on them; continuous features get decile edges. Every feature has a final "missing" bin
 * for values that are absent or not finite, and categorical features an "unseen value" bin.
 */

/** Features with at most this many distinct training values are binned per value. */
export const MAX_CATEGORICAL_VALUES = 12;
export const QUANTILE_BINS = 10;

export type FeatureBins =
  | { kind: 'categorical'; values: number[] }
  | { kind: 'numeric'; /** Upper-inclusive edges; the last bin is (edges[n-1], +∞). */ edges: number[] };

/** Bins derived from the training values of one feature (non-finite values are ignored). */
export function fitFeatureBins(trainingValues: readonly number[]): FeatureBins {
  const finite = trainingValues.filter((value) => Number.isFinite(value));
  const distinct = [...new Set(finite)].sort((a, b) => a - b);
  if (distinct.length <= MAX_CATEGORICAL_VALUES) return { kind: 'categorical', values: distinct };
  const sorted = [...finite].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let q = 1; q < QUANTILE_BINS; q += 1) {
    // Nearest-rank quantile: an observed value, so edges are reproducible from the data.
    const edge = sorted[Math.min(sorted.length - 1, Math.ceil((q / QUANTILE_BINS) * sorted.length) - 1)]!;
    if (edges.at(-1) !== edge) edges.push(edge);
  }
  return { kind: 'numeric', edges };
}

/** Number of bins including the trailing unseen (categorical) and missing bins. */
export function binCount(bins: FeatureBins): number {
  return bins.kind === 'categorical' ? bins.values.length + 2 : bins.edges.length + 2;
}

/** Index of the bin a value falls in. */
export function binIndex(bins: FeatureBins, value: number | undefined): number {
  const missing = binCount(bins) - 1;
  if (value === undefined || !Number.isFinite(value)) return missing;
  if (bins.kind === 'categorical') {
    const index = bins.values.indexOf(value);
    return index === -1 ? bins.values.length : index;
  }
  // Binary search for the first edge >= value.
  let low = 0;
  let high = bins.edges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (bins.edges[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function binCounts(bins: FeatureBins, values: Iterable<number | undefined>): number[] {
  const counts = new Array<number>(binCount(bins)).fill(0);
  for (const value of values) counts[binIndex(bins, value)]! += 1;
  return counts;
}
