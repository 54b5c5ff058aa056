/**
 * The planted signal: how a basket's true class probabilities arise. Documented in docs/DATA.md;
 * every constant here is part of that description.
 *
 * 1. A basket's affluence z = customer affluence (latent, N(0,1), fixed per customer, so it shows
 *    in the customer's earlier baskets) * AFFLUENCE_WEIGHT + store format effect + region effect.
 * 2. Each item's price tier (value / standard / premium) is drawn from z: affluent baskets buy
 *    premium lines, which shows in spend per item.
 * 3. The price-sensitivity score s = LABEL_Z_WEIGHT * z + LABEL_TIER_WEIGHT * (mean item tier)
 *    + mission effect + fresh-share effect, and the true class probabilities are a softmax over
 *    (-k (s + cut), 0, k (s - cut)) for (LA, MM, UM).
 * 4. Label noise P mixes them with uniform: p' = (1 - P) p + P / 3; the label is drawn from p'.
 */

export const AFFLUENCE_WEIGHT = 0.9;
/** SS, MS, LS, XLS. */
export const FORMAT_EFFECT = [-0.25, 0, 0.1, 0.3] as const;
/** By the region's compass letter; the digit adds (digit - 2) * REGION_DIGIT_EFFECT. */
export const REGION_LETTER_EFFECT: Record<string, number> = { E: 0, N: -0.45, S: 0.4, W: -0.15 };
export const REGION_DIGIT_EFFECT = 0.1;

/** P(premium) = sigmoid(TIER_SLOPE z - TIER_OFFSET), P(value) = sigmoid(-TIER_SLOPE z - TIER_OFFSET). */
export const TIER_SLOPE = 1.6;
export const TIER_OFFSET = 0.9;
/** Unit price multiplier of value, standard, premium lines. */
export const TIER_PRICE_MULTIPLIER = [0.6, 1, 1.7] as const;
/** Spread of a line's unit price around its product's tier price (log scale). */
export const UNIT_PRICE_NOISE = 0.08;

export const LABEL_Z_WEIGHT = 0.35;
export const LABEL_TIER_WEIGHT = 1.8;
/** Fresh, Grocery, Mixed, Non Food. */
export const MISSION_EFFECT = [0.2, -0.1, 0, -0.2] as const;
/** Times the share of items from fresh produce (D00001). */
export const FRESH_SHARE_EFFECT = 0.4;
export const LABEL_SHARPNESS = 6;
export const LABEL_CUT = 0.7;

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function regionEffect(region: string): number {
  return (REGION_LETTER_EFFECT[region[0] ?? ''] ?? 0) + (Number(region.slice(1)) - 2) * REGION_DIGIT_EFFECT;
}

export function basketAffluence(customerAffluence: number, formatIndex: number, region: string): number {
  return AFFLUENCE_WEIGHT * customerAffluence + (FORMAT_EFFECT[formatIndex] ?? 0) + regionEffect(region);
}

export function priceSensitivityScore(z: number, meanTier: number, missionIndex: number, freshShare: number): number {
  return LABEL_Z_WEIGHT * z + LABEL_TIER_WEIGHT * meanTier + (MISSION_EFFECT[missionIndex] ?? 0) + FRESH_SHARE_EFFECT * freshShare;
}

/** True (LA, MM, UM) probabilities before noise, written into `out`. */
export function classProbabilities(score: number, out: Float64Array): Float64Array {
  const la = Math.exp(-LABEL_SHARPNESS * (score + LABEL_CUT));
  const um = Math.exp(LABEL_SHARPNESS * (score - LABEL_CUT));
  const total = la + 1 + um;
  out[0] = la / total;
  out[1] = 1 / total;
  out[2] = um / total;
  return out;
}

/** p' = (1 - P) p + P / 3, in place. */
export function applyLabelNoise(probabilities: Float64Array, noise: number): Float64Array {
  for (let k = 0; k < 3; k += 1) probabilities[k] = (1 - noise) * probabilities[k]! + noise / 3;
  return probabilities;
}
