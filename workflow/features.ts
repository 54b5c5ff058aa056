/**
 * Customer history features: computed by the gold SQL only from weeks before each basket,
 * ingested into the feature store, and read back by /predict. One source for the feature
 * group definition (infra), the ingestion Lambda and serving.
 */

export const CUSTOMER_RECORD_ID = 'customer_id';
export const CUSTOMER_EVENT_TIME = 'event_time';

export const CUSTOMER_FEATURES = [
  { name: 'prior_baskets', type: 'Integral' },
  { name: 'prior_spend_mean', type: 'Fractional' },
  { name: 'prior_items_mean', type: 'Fractional' },
  { name: 'prior_share_la', type: 'Fractional' },
  { name: 'prior_share_mm', type: 'Fractional' },
  { name: 'prior_share_um', type: 'Fractional' },
  { name: 'last_shop_week', type: 'Integral' },
  { name: 'prior_price_ratio_mean', type: 'Fractional' },
] as const satisfies ReadonlyArray<{ name: string; type: 'Integral' | 'Fractional' | 'String' }>;

export type CustomerFeatureName = (typeof CUSTOMER_FEATURES)[number]['name'];
