/**
 * Population stability index of one feature: PSI = Σ (actual_i − expected_i) · ln(actual_i / expected_i)
 * over the bins of the training distribution. Empty bins are floored at PSI_EPSILON so one bin with
 * no rows gives a large but finite index instead of Infinity.
 * Rule of thumb: < 0.1 stable, 0.1–0.2 moderate shift, > 0.2 significant shift (the alarm threshold).
 */

export const PSI_EPSILON = 1e-4;
export const PSI_ALARM_THRESHOLD = 0.2;

/** Counts per bin → shares that sum to 1 (all zeros when there are no rows). */
export function binShares(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total === 0 ? 0 : count / total));
}

export function populationStabilityIndex(expectedShares: readonly number[], actualShares: readonly number[]): number {
  if (expectedShares.length !== actualShares.length) {
    throw new Error(`PSI needs the same bins on both sides: expected has ${expectedShares.length} bins, actual has ${actualShares.length}`);
  }
  let psi = 0;
  for (let bin = 0; bin < expectedShares.length; bin += 1) {
    const expected = Math.max(expectedShares[bin]!, PSI_EPSILON);
    const actual = Math.max(actualShares[bin]!, PSI_EPSILON);
    psi += (actual - expected) * Math.log(actual / expected);
  }
  return psi;
}
