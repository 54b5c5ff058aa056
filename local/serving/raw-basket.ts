/**
 * The mechanical conversion the /predict contract promises: the raw-file lines of one basket
 * (the 22 dataset columns, every value a string) become one /predict request body. Used by the
 * parity test and the load benchmark, and by anyone replaying a raw file against /predict.
 */
import type { RawColumn } from '../../workflow/dataset-schema.js';

/** A CSV reader may give an empty field as null. */
export type RawLine = Readonly<Record<RawColumn, string | null>>;

export interface PredictRequestBody {
  SHOP_WEEK: number;
  SHOP_DATE: string;
  SHOP_WEEKDAY: number;
  SHOP_HOUR: number;
  CUST_CODE: string | null;
  seg_1: string | null;
  seg_2: string | null;
  BASKET_ID: string;
  BASKET_SIZE: string;
  BASKET_TYPE: string;
  BASKET_DOMINANT_MISSION: string;
  STORE_CODE: string;
  STORE_FORMAT: string;
  STORE_REGION: string;
  items: Array<{ PROD_CODE: string; PROD_CODE_10: string; PROD_CODE_20: string; PROD_CODE_30: string; PROD_CODE_40: string; QUANTITY: number; SPEND: number }>;
}

const orNull = (value: string | null): string | null => (value === null || value.trim() === '' ? null : value);
const str = (value: string | null): string => value ?? '';

/** Basket-level columns come from the first line (they agree on every line of a basket). */
export function predictRequestFromRawLines(lines: readonly RawLine[]): PredictRequestBody {
  const first = lines[0];
  if (!first) throw new Error('a basket needs at least one raw line');
  return {
    SHOP_WEEK: Number(str(first.SHOP_WEEK)),
    SHOP_DATE: str(first.SHOP_DATE),
    SHOP_WEEKDAY: Number(str(first.SHOP_WEEKDAY)),
    SHOP_HOUR: Number(str(first.SHOP_HOUR)),
    CUST_CODE: orNull(first.CUST_CODE),
    seg_1: orNull(first.seg_1),
    seg_2: orNull(first.seg_2),
    BASKET_ID: str(first.BASKET_ID),
    BASKET_SIZE: str(first.BASKET_SIZE),
    BASKET_TYPE: str(first.BASKET_TYPE),
    BASKET_DOMINANT_MISSION: str(first.BASKET_DOMINANT_MISSION),
    STORE_CODE: str(first.STORE_CODE),
    STORE_FORMAT: str(first.STORE_FORMAT),
    STORE_REGION: str(first.STORE_REGION),
    items: lines.map((line) => ({
      PROD_CODE: str(line.PROD_CODE),
      PROD_CODE_10: str(line.PROD_CODE_10),
      PROD_CODE_20: str(line.PROD_CODE_20),
      PROD_CODE_30: str(line.PROD_CODE_30),
      PROD_CODE_40: str(line.PROD_CODE_40),
      QUANTITY: Number(str(line.QUANTITY)),
      SPEND: Number(str(line.SPEND)),
    })),
  };
}

/** Groups raw lines by BASKET_ID, keeping file order. */
export function groupRawLinesByBasket(lines: Iterable<RawLine>): Map<string, RawLine[]> {
  const baskets = new Map<string, RawLine[]>();
  for (const line of lines) {
    const id = line.BASKET_ID ?? '';
    const group = baskets.get(id);
    if (group) group.push(line);
    else baskets.set(id, [line]);
  }
  return baskets;
}
