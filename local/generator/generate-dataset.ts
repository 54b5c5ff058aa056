/**
 * Streams a synthetic raw file in the 22-column dunnhumby schema with the planted signal of
 * signal.ts, and writes its manifest. Memory stays flat in the row count: baskets are built one
 * at a time, per-entity attributes come from hashes, and output goes out in ~1 MiB chunks with
 * backpressure (through gzip when the file name ends in .gz).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import { BASKET_MISSIONS, BASKET_TYPES, LABELS, RAW_COLUMNS } from '../../workflow/dataset-schema.js';
import { writeJsonAtomic } from '../state/atomic-write.js';
import { shopDay, shopWeek, type ShopDay } from './calendar.js';
import { buildProducts, buildStores, PRODUCTS_PER_DEPARTMENT, type Product } from './catalog.js';
import { manifestPathFor, type Manifest } from './manifest.js';
import { ByteSink } from './byte-sink.js';
import { cumulative, hashNormal, hashUnit, Xoshiro128 } from './prng.js';
import {
  applyLabelNoise,
  basketAffluence,
  classProbabilities,
  priceSensitivityScore,
  sigmoid,
  TIER_OFFSET,
  TIER_PRICE_MULTIPLIER,
  TIER_SLOPE,
  UNIT_PRICE_NOISE,
} from './signal.js';

export interface GenerateOptions {
  /** Rows to write (exactly), duplicates included. */
  rows: number;
  seed: number;
  /** File to write; `.csv.gz` compresses. */
  out: string;
  /** Consecutive fiscal weeks the rows cover. @default 4 */
  weeks?: number;
  /** Share of uniform noise mixed into the true class probabilities, 0..1. @default 0.05 */
  labelNoise?: number;
}

export const DEFAULT_WEEKS = 4;
export const DEFAULT_LABEL_NOISE = 0.05;
export const MAX_WEEKS = 520;

const STORE_COUNT = 120;
const CARD_BASKET_SHARE = 0.85;
const UNCLASSIFIED_LABEL_SHARE = 0.02;
const UNKNOWN_TYPE_SHARE = 0.01;
const UNKNOWN_MISSION_SHARE = 0.01;
const UNKNOWN_SEGMENT_SHARE = 0.03;
const DUPLICATE_ROW_SHARE = 0.001;
const HOME_STORE_SHARE = 0.85;
const FIRST_BASKET_ID = 994_100_000_000_000;
const FRESH_DEPARTMENT = 0;
/** Longest row plus margin, in bytes. */
const MAX_ROW_BYTES = 512;

/** Small Shop, Top Up, Full Shop: how often, and how many line items (min + uniform span). */
const TYPE_WEIGHTS = cumulative([0.35, 0.4, 0.25]);
const TYPE_MIN_ITEMS = [1, 3, 10];
const TYPE_ITEM_SPAN = [5, 10, 31];
/** Mission (Fresh, Grocery, Mixed, Non Food) per basket type. */
const MISSION_WEIGHTS = [
  cumulative([0.35, 0.25, 0.15, 0.25]),
  cumulative([0.3, 0.3, 0.3, 0.1]),
  cumulative([0.1, 0.3, 0.55, 0.05]),
];
/** Department mix per mission, D00001..D00008. */
const DEPARTMENT_WEIGHTS = [
  cumulative([0.35, 0.3, 0.15, 0.08, 0.04, 0.05, 0.015, 0.015]),
  cumulative([0.08, 0.12, 0.08, 0.4, 0.12, 0.12, 0.04, 0.04]),
  cumulative([0.15, 0.17, 0.1, 0.2, 0.1, 0.12, 0.08, 0.08]),
  cumulative([0.03, 0.04, 0.03, 0.08, 0.03, 0.09, 0.35, 0.35]),
];
/** Sunday..Saturday. */
const WEEKDAY_WEIGHTS = cumulative([0.12, 0.13, 0.13, 0.13, 0.14, 0.17, 0.18]);
/** Hours 0..23: night trading is rare, peaks at lunch and after work. */
const HOUR_WEIGHTS = cumulative([
  0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 1.8, 3.5, 5, 6, 7, 8, 7.5, 6.5, 6.5, 7.5, 8.5, 8, 6.5, 4.5, 3, 1.5, 0.6,
]);
const QUANTITY_WEIGHTS = cumulative([0.75, 0.18, 0.05, 0.01, 0.005, 0.005]);
const SEG_1 = ['CT', 'AZ', 'BG', 'DY'];
const SEG_2 = ['DI', 'FN', 'BU', 'CZ', 'EQ', 'AT'];

const CUSTOMER_AFFLUENCE_STREAM = 31;
const CUSTOMER_STORE_STREAM = 32;
const CUSTOMER_SEG_1_STREAM = 33;
const CUSTOMER_SEG_2_STREAM = 34;
const MAX_BASKET_ITEMS = 64;

/** A bad option, naming the option, the value and what is expected. */
export class GeneratorOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorOptionsError';
  }
}

export function validateGenerateOptions(options: GenerateOptions): Required<GenerateOptions> {
  const weeks = options.weeks ?? DEFAULT_WEEKS;
  const labelNoise = options.labelNoise ?? DEFAULT_LABEL_NOISE;
  if (!Number.isSafeInteger(options.rows) || options.rows < 1) {
    throw new GeneratorOptionsError(`rows must be a whole number >= 1, got ${JSON.stringify(options.rows)}`);
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new GeneratorOptionsError(`seed must be a whole number from 0 to 4294967295, got ${JSON.stringify(options.seed)}`);
  }
  if (!Number.isSafeInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) {
    throw new GeneratorOptionsError(`weeks must be a whole number from 1 to ${MAX_WEEKS}, got ${JSON.stringify(weeks)}`);
  }
  if (typeof labelNoise !== 'number' || !(labelNoise >= 0 && labelNoise <= 1)) {
    throw new GeneratorOptionsError(`label noise must be a number from 0 to 1, got ${JSON.stringify(labelNoise)}`);
  }
  if (typeof options.out !== 'string' || !/\.csv(\.gz)?$/.test(options.out)) {
    throw new GeneratorOptionsError(`out must be a file path ending in .csv or .csv.gz, got ${JSON.stringify(options.out)}`);
  }
  return { rows: options.rows, seed: options.seed, out: options.out, weeks, labelNoise };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function basketSize(items: number): string {
  if (items <= 4) return 'S';
  if (items <= 12) return 'M';
  return 'L';
}

export async function generateDataset(options: GenerateOptions): Promise<Manifest> {
  const { rows, seed, out, weeks, labelNoise } = validateGenerateOptions(options);
  const rng = new Xoshiro128(seed);
  const products: Product[][] = buildProducts(seed);
  const stores = buildStores(seed, STORE_COUNT);
  const meanItems = 10.3;
  const customers = Math.max(10, Math.round((CARD_BASKET_SHARE * rows) / meanItems / weeks));
  const customerColumns = (index: number): string => {
    const seg1 = hashUnit(seed, CUSTOMER_SEG_1_STREAM, index);
    const seg2 = hashUnit(seed, CUSTOMER_SEG_2_STREAM, index);
    const seg1Code = seg1 < UNKNOWN_SEGMENT_SHARE ? 'XX' : SEG_1[Math.floor(seg1 * SEG_1.length)]!;
    const seg2Code = seg2 < UNKNOWN_SEGMENT_SHARE ? 'XX' : SEG_2[Math.floor(seg2 * SEG_2.length)]!;
    return `CUST${pad(index + 1, 10)},${seg1Code},${seg2Code}`;
  };

  const compressed = out.endsWith('.gz');
  await mkdir(dirname(out), { recursive: true });
  const file = createWriteStream(out);
  const gzip = compressed ? createGzip({ level: zlibConstants.Z_BEST_SPEED }) : undefined;
  if (gzip) gzip.pipe(file);
  const sink: Writable = gzip ?? file;
  const writer = new ByteSink(sink);
  writer.putBytes(ByteSink.encode(`${RAW_COLUMNS.join(',')}\n`));
  const productBytes = products.map((department) => department.map((product) => ByteSink.encode(product.csvColumns)));

  const days: ShopDay[][] = [];
  for (let w = 0; w < weeks; w += 1) days.push(Array.from({ length: 7 }, (_, d) => shopDay(w, d)));

  const labelCounts = { LA: 0, MM: 0, UM: 0, XX: 0 };
  const probabilities = new Float64Array(3);
  const labelCumulative = new Float64Array(3);
  const itemProduct = new Int32Array(MAX_BASKET_ITEMS);
  const itemDepartment = new Int32Array(MAX_BASKET_ITEMS);
  const itemQuantity = new Int32Array(MAX_BASKET_ITEMS);
  const itemPence = new Int32Array(MAX_BASKET_ITEMS);
  let bayesSum = 0;
  let written = 0;
  let baskets = 0;
  let duplicateRows = 0;
  let rowsWithoutCustomer = 0;

  for (let week = 0; week < weeks; week += 1) {
    const weekEnd = Math.round((rows * (week + 1)) / weeks);
    while (written < weekEnd) {
      const day = days[week]![rng.pick(WEEKDAY_WEIGHTS)]!;
      const hour = rng.pick(HOUR_WEIGHTS);

      let affluence: number;
      let store;
      let customer: string;
      const hasCard = rng.float() < CARD_BASKET_SHARE;
      if (hasCard) {
        // Skewed draw: a few customers shop often, most rarely.
        const index = Math.floor(customers * Math.pow(rng.float(), 1.3));
        affluence = hashNormal(seed, CUSTOMER_AFFLUENCE_STREAM, index);
        const home = Math.floor(hashUnit(seed, CUSTOMER_STORE_STREAM, index) * stores.length);
        store = stores[rng.float() < HOME_STORE_SHARE ? home : rng.int(stores.length)]!;
        customer = customerColumns(index);
      } else {
        affluence = rng.normal();
        store = stores[rng.int(stores.length)]!;
        customer = ',,';
      }

      const type = rng.pick(TYPE_WEIGHTS);
      const mission = rng.pick(MISSION_WEIGHTS[type]!);
      let items = TYPE_MIN_ITEMS[type]! + rng.int(TYPE_ITEM_SPAN[type]!);
      if (items > weekEnd - written) items = weekEnd - written;

      const z = basketAffluence(affluence, store.formatIndex, store.region);
      const premiumChance = sigmoid(TIER_SLOPE * z - TIER_OFFSET);
      const valueChance = sigmoid(-TIER_SLOPE * z - TIER_OFFSET);
      let tierSum = 0;
      let freshItems = 0;
      for (let i = 0; i < items; i += 1) {
        let productIndex: number;
        let department: number;
        let distinct: boolean;
        do {
          department = rng.pick(DEPARTMENT_WEIGHTS[mission]!);
          const u = rng.float();
          productIndex = department * PRODUCTS_PER_DEPARTMENT + Math.floor(PRODUCTS_PER_DEPARTMENT * u * u);
          distinct = true;
          for (let j = 0; j < i; j += 1) if (itemProduct[j] === productIndex) distinct = false;
        } while (!distinct);
        const tierDraw = rng.float();
        const tier = tierDraw < valueChance ? 0 : tierDraw < valueChance + premiumChance ? 2 : 1;
        const quantity = rng.pick(QUANTITY_WEIGHTS) + 1;
        const product = products[department]![productIndex - department * PRODUCTS_PER_DEPARTMENT]!;
        const unitPrice = product.basePrice * TIER_PRICE_MULTIPLIER[tier]! * Math.exp(UNIT_PRICE_NOISE * rng.normal());
        itemProduct[i] = productIndex;
        itemDepartment[i] = department;
        itemQuantity[i] = quantity;
        itemPence[i] = Math.max(1, Math.round(unitPrice * quantity * 100));
        tierSum += tier - 1;
        if (department === FRESH_DEPARTMENT) freshItems += 1;
      }

      const score = priceSensitivityScore(z, tierSum / items, mission, freshItems / items);
      applyLabelNoise(classProbabilities(score, probabilities), labelNoise);
      labelCumulative[0] = probabilities[0]!;
      labelCumulative[1] = probabilities[0]! + probabilities[1]!;
      labelCumulative[2] = 1;
      const drawn = LABELS[rng.pick(labelCumulative)]!;
      let label: string = drawn;
      if (rng.float() < UNCLASSIFIED_LABEL_SHARE) {
        label = 'XX';
        labelCounts.XX += 1;
      } else {
        labelCounts[drawn] += 1;
        bayesSum += Math.max(probabilities[0]!, probabilities[1]!, probabilities[2]!);
      }
      const typeCode = rng.float() < UNKNOWN_TYPE_SHARE ? 'XX' : BASKET_TYPES[type]!;
      const missionCode = rng.float() < UNKNOWN_MISSION_SHARE ? 'XX' : BASKET_MISSIONS[mission]!;
      const basketId = FIRST_BASKET_ID + baskets;
      baskets += 1;

      const prefix = ByteSink.encode(`${day.csvColumns},${hour},`);
      const suffix = ByteSink.encode(
        `,${customer},${basketId},${basketSize(items)},${label},${typeCode},${missionCode},${store.code},${store.format},${store.region}\n`,
      );
      for (let i = 0; i < items; i += 1) {
        const department = itemDepartment[i]!;
        const product = productBytes[department]![itemProduct[i]! - department * PRODUCTS_PER_DEPARTMENT]!;
        const copies = written + (items - i) < weekEnd && rng.float() < DUPLICATE_ROW_SHARE ? 2 : 1;
        for (let copy = 0; copy < copies; copy += 1) {
          if (!writer.ensure(MAX_ROW_BYTES)) await writer.flush();
          writer.putBytes(prefix);
          writer.putUint(itemQuantity[i]!);
          writer.putByte(44);
          writer.putPence(itemPence[i]!);
          writer.putByte(44);
          writer.putBytes(product);
          writer.putBytes(suffix);
          written += 1;
          if (!hasCard) rowsWithoutCustomer += 1;
        }
        if (copies === 2) duplicateRows += 1;
      }
    }
  }
  await writer.flush();
  sink.end();
  await finished(file);

  const labelled = labelCounts.LA + labelCounts.MM + labelCounts.UM;
  const share = (count: number) => (baskets === 0 ? 0 : count / baskets);
  const manifest: Manifest = {
    format: 'pricesense-generator-manifest/1',
    file: out,
    compressed,
    seed,
    parameters: {
      rows,
      seed,
      weeks,
      labelNoise,
      stores: stores.length,
      customers,
      cardBasketShare: CARD_BASKET_SHARE,
      unclassifiedLabelShare: UNCLASSIFIED_LABEL_SHARE,
      duplicateRowShare: DUPLICATE_ROW_SHARE,
    },
    rows: written,
    baskets,
    labelledBaskets: labelled,
    unclassifiedBaskets: labelCounts.XX,
    rowsWithoutCustomer,
    duplicateRows,
    firstShopWeek: shopWeek(0),
    lastShopWeek: shopWeek(weeks - 1),
    labelCounts,
    labelShares: { LA: share(labelCounts.LA), MM: share(labelCounts.MM), UM: share(labelCounts.UM), XX: share(labelCounts.XX) },
    bayesOptimalAccuracy: labelled === 0 ? 0 : bayesSum / labelled,
  };
  await writeJsonAtomic(manifestPathFor(out), manifest);
  return manifest;
}
