/**
 * The model's features for one /predict basket, computed exactly as the gold SQL computes them
 * for a basket of the raw file (glue-scripts/sql/raw_to_silver/02 and silver_to_gold/03, 05, 06):
 * proven value for value by test/tasks/predict-parity.test.ts. Order = GOLD_FEATURES.
 */
import { GOLD_FEATURES, REFERENCE_MARGIN_LOG, type ReferencePrices } from '../../../workflow/gold-features.js';
import type { BasketRequest } from './basket-request.js';
import { categoryCode } from './category-codes.js';
import type { CustomerHistory } from './customer-history.js';

export const FEATURE_COUNT = GOLD_FEATURES.length;
const DEPARTMENTS = ['D00001', 'D00002', 'D00003', 'D00004', 'D00005', 'D00006', 'D00007', 'D00008'] as const;

/** Index of each feature in the vector. */
const at = Object.fromEntries(GOLD_FEATURES.map((name, index) => [name, index])) as Record<(typeof GOLD_FEATURES)[number], number>;
const DEPARTMENT_SLOT = new Map(DEPARTMENTS.map((code, index) => [code as string, at.dept_share_d00001 + index]));

/** Identity of a line for silver's `SELECT DISTINCT *`: the basket columns are shared, so the line columns decide. */
function lineKey(item: BasketRequest['items'][number]): string {
  return `${item.prodCode}\u0000${item.prodCode10 ?? ''}\u0000${item.prodCode20 ?? ''}\u0000${item.prodCode30 ?? ''}\u0000${item.prodCode40}\u0000${item.quantity}\u0000${item.spend}`;
}

/** The same equality as lineKey, without building strings. */
function sameLine(a: BasketRequest['items'][number], b: BasketRequest['items'][number]): boolean {
  return (
    a.prodCode === b.prodCode &&
    a.prodCode40 === b.prodCode40 &&
    a.quantity === b.quantity &&
    a.spend === b.spend &&
    (a.prodCode10 ?? '') === (b.prodCode10 ?? '') &&
    (a.prodCode20 ?? '') === (b.prodCode20 ?? '') &&
    (a.prodCode30 ?? '') === (b.prodCode30 ?? '')
  );
}

/** Up to this many lines, comparing pairs is cheaper than hashing keys. */
const PAIRWISE_LIMIT = 32;

/** Lines that survive silver's exact-duplicate removal, in request order. */
export function distinctLines(items: BasketRequest['items']): BasketRequest['items'] {
  if (items.length < 2) return items;
  if (items.length <= PAIRWISE_LIMIT) {
    let out: BasketRequest['items'] | undefined;
    for (let i = 1; i < items.length; i++) {
      let duplicate = false;
      for (let j = 0; j < i && !duplicate; j++) duplicate = sameLine(items[i]!, items[j]!);
      if (duplicate) out ??= items.slice(0, i);
      else out?.push(items[i]!);
    }
    return out ?? items;
  }
  const seen = new Set<string>();
  const out: BasketRequest['items'] = [];
  for (const item of items) {
    const key = lineKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** Fiscal week YYYYWW as a week count on a 52-week year, as 06_gold_baskets.sql computes it. */
export function fiscalWeekIndex(shopWeek: number): number {
  const week = shopWeek % 100;
  return ((shopWeek - week) / 100) * 52 + week;
}

/**
 * A line's log price ratio against its product's reference, else its group's (03_basket_facts.sql);
 * undefined for an unpriced line (SPEND 0, or no reference).
 */
export function linePriceRatio(line: BasketRequest['items'][number], references: ReferencePrices): number | undefined {
  if (!(line.spend > 0)) return undefined;
  const reference = (Object.hasOwn(references.product, line.prodCode) ? references.product[line.prodCode] : undefined) ??
    (line.prodCode30 !== null && Object.hasOwn(references.group, line.prodCode30) ? references.group[line.prodCode30] : undefined);
  if (reference === undefined || !(reference > 0)) return undefined;
  return Math.log(line.spend / line.quantity / reference);
}

/**
 * The feature vector in GOLD_FEATURES order. `history` is the customer's record in the online
 * store (their history before this basket's week); undefined for no card or no record, which the
 * SQL's COALESCE/CASE turn into zeros. `references` are the reference prices of the gold run the
 * served model was trained on.
 */
export function basketFeatures(basket: BasketRequest, history: CustomerHistory | undefined, references: ReferencePrices): Float64Array {
  const v = new Float64Array(FEATURE_COUNT);
  const lines = distinctLines(basket.items);
  const region = basket.storeRegion;
  v[at.store_format_code] = categoryCode('store_format', basket.storeFormat);
  v[at.region_area_code] = categoryCode('region_area', region.slice(0, 1));
  // SUBSTR(region, 2, 2) cast to INT; the request schema guarantees two digits.
  v[at.region_number] = Number(region.slice(1, 3));
  v[at.basket_type_code] = categoryCode('basket_type', basket.basketType);
  v[at.basket_mission_code] = categoryCode('basket_mission', basket.basketMission);
  v[at.basket_size_code] = categoryCode('basket_size', basket.basketSize);
  v[at.shop_weekday] = basket.shopWeekday;
  v[at.shop_hour] = basket.shopHour;
  v[at.is_weekend] = basket.shopWeekday === 1 || basket.shopWeekday === 7 ? 1 : 0;

  let quantity = 0;
  let spend = 0;
  let maxSpend = -Infinity;
  const departments = new Set<string>();
  for (const line of lines) {
    quantity += line.quantity;
    spend += line.spend;
    if (line.spend > maxSpend) maxSpend = line.spend;
    departments.add(line.prodCode40);
    const slot = DEPARTMENT_SLOT.get(line.prodCode40);
    if (slot !== undefined) v[slot] = v[slot]! + 1;
  }
  const n = lines.length;
  for (let slot = at.dept_share_d00001; slot <= at.dept_share_d00008; slot++) v[slot] = v[slot]! / n;
  v[at.items] = n;
  v[at.total_quantity] = quantity;
  v[at.total_spend] = spend;
  v[at.spend_per_item] = spend / n;
  v[at.spend_per_unit] = spend / quantity;
  v[at.quantity_per_item] = quantity / n;
  v[at.max_line_spend] = maxSpend;
  v[at.distinct_departments] = departments.size;

  // Relative price position: mean, population spread and shares beyond the margin, over priced lines.
  let priced = 0;
  let ratioSum = 0;
  let above = 0;
  let below = 0;
  const ratios: number[] = [];
  for (const line of lines) {
    const ratio = linePriceRatio(line, references);
    if (ratio === undefined) continue;
    priced += 1;
    ratioSum += ratio;
    ratios.push(ratio);
    if (ratio > REFERENCE_MARGIN_LOG) above += 1;
    else if (ratio < -REFERENCE_MARGIN_LOG) below += 1;
  }
  if (priced > 0) {
    const mean = ratioSum / priced;
    let squares = 0;
    for (const ratio of ratios) squares += (ratio - mean) * (ratio - mean);
    v[at.price_ratio_mean] = mean;
    v[at.price_ratio_spread] = Math.sqrt(squares / priced);
    v[at.share_above_reference] = above / priced;
    v[at.share_below_reference] = below / priced;
  }

  v[at.has_customer] = basket.customerId === null ? 0 : 1;
  if (basket.customerId !== null && history !== undefined && history.prior_baskets > 0) {
    v[at.prior_baskets] = history.prior_baskets;
    v[at.prior_spend_mean] = history.prior_spend_mean;
    v[at.prior_items_mean] = history.prior_items_mean;
    v[at.prior_share_la] = history.prior_share_la;
    v[at.prior_share_mm] = history.prior_share_mm;
    v[at.prior_share_um] = history.prior_share_um;
    v[at.weeks_since_last_shop] = history.last_shop_week > 0 ? fiscalWeekIndex(basket.shopWeek) - fiscalWeekIndex(history.last_shop_week) : 0;
    // prior_spend / prior_items in the SQL; both means share the divisor prior_baskets.
    v[at.prior_spend_per_item] = history.prior_items_mean > 0 ? history.prior_spend_mean / history.prior_items_mean : 0;
    v[at.prior_price_ratio_mean] = history.prior_price_ratio_mean;
  }
  return v;
}

/** The vector as a named object (for the inference record). */
export function namedFeatures(vector: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < GOLD_FEATURES.length; i++) out[GOLD_FEATURES[i]!] = vector[i]!;
  return out;
}
