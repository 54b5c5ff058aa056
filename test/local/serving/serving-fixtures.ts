/** A small model over the gold features, a valid /predict body and reference prices, for the serving tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLD_FEATURES } from '../../../workflow/gold-features.js';
import { StaticReferencePrices } from '../../../tasks/core/predict/reference-prices.js';

/** Reference prices for a model deployed without a registry entry (startServe's referencePrices). */
export const TEST_REFERENCE_PRICES = new StaticReferencePrices({ product: { PRD0900001: 1.5 }, group: {} });

/**
 * XGBoost 1.7 JSON: one stump per class on has_customer (< 0.5 left). The leaf margins are
 * `leaves[k] = [no card, card]`, so the label follows the presence of a loyalty card.
 */
export function writeStumpModel(leaves: Array<[number, number]>, dir = mkdtempSync(join(tmpdir(), 'serve-model-'))): string {
  const feature = GOLD_FEATURES.indexOf('has_customer');
  const trees = leaves.map(([left, right]) => ({
    left_children: [1, -1, -1],
    right_children: [2, -1, -1],
    split_indices: [feature, 0, 0],
    split_conditions: [0.5, left, right],
    default_left: [1, 0, 0],
    categories: [],
  }));
  const document = {
    learner: {
      learner_model_param: { base_score: '5E-1', num_class: '3', num_feature: String(GOLD_FEATURES.length) },
      objective: { name: 'multi:softprob' },
      gradient_booster: { name: 'gbtree', model: { trees, tree_info: [0, 1, 2] } },
    },
  };
  const path = join(dir, 'xgboost-model');
  writeFileSync(path, JSON.stringify(document));
  return path;
}

export function validBasket(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SHOP_WEEK: 200607,
    SHOP_DATE: '20060413',
    SHOP_WEEKDAY: 5,
    SHOP_HOUR: 14,
    CUST_CODE: 'CUST0000000001',
    seg_1: 'CT',
    seg_2: 'DI',
    BASKET_ID: 994100000000001,
    BASKET_SIZE: 'M',
    BASKET_TYPE: 'Top Up',
    BASKET_DOMINANT_MISSION: 'Fresh',
    STORE_CODE: 'STORE00001',
    STORE_FORMAT: 'LS',
    STORE_REGION: 'E02',
    items: [
      { PROD_CODE: 'PRD0900001', PROD_CODE_10: 'CL00001', PROD_CODE_20: 'DEP00001', PROD_CODE_30: 'G00001', PROD_CODE_40: 'D00001', QUANTITY: 2, SPEND: 1.5 },
      { PROD_CODE: 'PRD0900700', PROD_CODE_10: 'CL00040', PROD_CODE_20: 'DEP00014', PROD_CODE_30: 'G00005', PROD_CODE_40: 'D00002', QUANTITY: 1, SPEND: 2.25 },
    ],
    ...overrides,
  };
}
