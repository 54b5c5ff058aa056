/**
 * The category -> code maps the model was trained with, as
 * glue-scripts/sql/silver_to_gold/01_category_encodings.sql defines them (a test runs that SQL
 * and compares). Compiled into the handler so /predict needs no S3 read per cold start.
 * A known category missing here (XX) or an absent value encodes as -1, as the SQL's COALESCE does.
 */
import type { Label } from '../../../workflow/dataset-schema.js';

export const CATEGORY_CODES = {
  store_format: { SS: 0, MS: 1, LS: 2, XLS: 3 },
  region_area: { E: 0, N: 1, S: 2, W: 3 },
  basket_type: { 'Small Shop': 0, 'Top Up': 1, 'Full Shop': 2 },
  basket_mission: { Fresh: 0, Grocery: 1, Mixed: 2, 'Non Food': 3 },
  basket_size: { S: 0, M: 1, L: 2 },
  label: { LA: 0, MM: 1, UM: 2 },
} as const satisfies Record<string, Record<string, number>>;

export type CategoryFeature = keyof typeof CATEGORY_CODES;

/** Code of `category` under `feature`, -1 when absent or not encoded (XX). */
export function categoryCode(feature: CategoryFeature, category: string | null): number {
  if (category === null) return -1;
  const codes = CATEGORY_CODES[feature] as Record<string, number>;
  return Object.hasOwn(codes, category) ? codes[category]! : -1;
}

/** Labels by model output index (label code). */
export const LABEL_BY_INDEX: readonly Label[] = ['LA', 'MM', 'UM'];
