/**
 * The generator's fiscal calendar: weeks run Sunday to Saturday (SHOP_WEEKDAY 1 = Sunday),
 * fiscal year 2026 starts on Sunday 2026-03-29 and has 52 weeks; SHOP_WEEK is YYYYWW.
 */

const FIRST_FISCAL_YEAR = 2026;
const FIRST_DAY_UTC = Date.UTC(2026, 2, 29);
const DAY_MS = 86_400_000;
const WEEKS_PER_FISCAL_YEAR = 52;

export interface ShopDay {
  /** "SHOP_WEEK,SHOP_DATE,SHOP_WEEKDAY" ready to write. */
  csvColumns: string;
  shopWeek: number;
  shopDate: string;
  /** 1 = Sunday ... 7 = Saturday. */
  weekday: number;
}

export function shopWeek(weekIndex: number): number {
  const year = FIRST_FISCAL_YEAR + Math.floor(weekIndex / WEEKS_PER_FISCAL_YEAR);
  return year * 100 + (weekIndex % WEEKS_PER_FISCAL_YEAR) + 1;
}

export function shopDay(weekIndex: number, dayOfWeek: number): ShopDay {
  const date = new Date(FIRST_DAY_UTC + (weekIndex * 7 + dayOfWeek) * DAY_MS);
  const shopDate = `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
  const week = shopWeek(weekIndex);
  const weekday = date.getUTCDay() + 1;
  return { csvColumns: `${week},${shopDate},${weekday}`, shopWeek: week, shopDate, weekday };
}
