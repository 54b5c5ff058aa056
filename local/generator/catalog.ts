/**
 * The synthetic retailer: departments (PROD_CODE_40) with their price levels, a product
 * hierarchy PROD_CODE -> PROD_CODE_10 -> _20 -> _30 -> _40, and stores with a format and a
 * region. Everything is derived from the seed by hashing, so it costs a few kilobytes whatever
 * the number of rows.
 */
import { STORE_FORMATS } from '../../workflow/dataset-schema.js';
import { hashNormal, hashUnit } from './prng.js';

export interface Department {
  code: string;
  name: string;
  /** Typical unit price of a standard-tier item, GBP. */
  basePrice: number;
}

export const DEPARTMENTS: readonly Department[] = [
  { code: 'D00001', name: 'Fresh produce', basePrice: 1.2 },
  { code: 'D00002', name: 'Chilled and dairy', basePrice: 1.8 },
  { code: 'D00003', name: 'Bakery', basePrice: 1.1 },
  { code: 'D00004', name: 'Ambient grocery', basePrice: 1.5 },
  { code: 'D00005', name: 'Frozen', basePrice: 2.2 },
  { code: 'D00006', name: 'Drinks', basePrice: 2.0 },
  { code: 'D00007', name: 'Household', basePrice: 2.6 },
  { code: 'D00008', name: 'Health and beauty', basePrice: 3.2 },
];

export const PRODUCTS_PER_DEPARTMENT = 625;
/** Hierarchy fan-out inside one department: 4 PROD_CODE_30, 3 PROD_CODE_20 each, 3 PROD_CODE_10 each. */
const GROUPS_PER_DEPARTMENT = 4;
const SUBGROUPS_PER_GROUP = 3;
const CLASSES_PER_SUBGROUP = 3;
const CLASSES_PER_DEPARTMENT = GROUPS_PER_DEPARTMENT * SUBGROUPS_PER_GROUP * CLASSES_PER_SUBGROUP;

export interface Product {
  /** "PROD_CODE,PROD_CODE_10,PROD_CODE_20,PROD_CODE_30,PROD_CODE_40" ready to write. */
  csvColumns: string;
  department: number;
  /** Standard-tier unit price, GBP. */
  basePrice: number;
}

const PRODUCT_PRICE_STREAM = 11;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function buildProducts(seed: number): Product[][] {
  return DEPARTMENTS.map((department, d) => {
    const products: Product[] = [];
    for (let j = 0; j < PRODUCTS_PER_DEPARTMENT; j += 1) {
      const classIndex = d * CLASSES_PER_DEPARTMENT + Math.floor((j * CLASSES_PER_DEPARTMENT) / PRODUCTS_PER_DEPARTMENT);
      const subgroupIndex = Math.floor(classIndex / CLASSES_PER_SUBGROUP);
      const groupIndex = Math.floor(subgroupIndex / SUBGROUPS_PER_GROUP);
      const productIndex = d * PRODUCTS_PER_DEPARTMENT + j;
      const basePrice = department.basePrice * Math.exp(0.12 * hashNormal(seed, PRODUCT_PRICE_STREAM, productIndex));
      products.push({
        csvColumns: `PRD09${pad(productIndex + 1, 5)},CL${pad(classIndex + 1, 5)},DEP${pad(subgroupIndex + 1, 5)},G${pad(groupIndex + 1, 5)},${department.code}`,
        department: d,
        basePrice,
      });
    }
    return products;
  });
}

export const STORE_REGIONS = ['E01', 'E02', 'E03', 'N01', 'N02', 'N03', 'S01', 'S02', 'S03', 'W01', 'W02', 'W03'] as const;

/** Share of stores per format (convenience SS to superstore XLS). */
const FORMAT_SHARES = [0.35, 0.3, 0.25, 0.1];

export interface Store {
  code: string;
  format: (typeof STORE_FORMATS)[number];
  region: (typeof STORE_REGIONS)[number];
  formatIndex: number;
  regionIndex: number;
}

const STORE_FORMAT_STREAM = 21;
const STORE_REGION_STREAM = 22;

export function buildStores(seed: number, count: number): Store[] {
  const stores: Store[] = [];
  for (let i = 0; i < count; i += 1) {
    const u = hashUnit(seed, STORE_FORMAT_STREAM, i);
    let formatIndex = 0;
    let acc = FORMAT_SHARES[0]!;
    while (u >= acc && formatIndex < FORMAT_SHARES.length - 1) {
      formatIndex += 1;
      acc += FORMAT_SHARES[formatIndex]!;
    }
    const regionIndex = Math.floor(hashUnit(seed, STORE_REGION_STREAM, i) * STORE_REGIONS.length);
    stores.push({
      code: `STORE${pad(i + 1, 5)}`,
      format: STORE_FORMATS[formatIndex]!,
      region: STORE_REGIONS[regionIndex]!,
      formatIndex,
      regionIndex,
    });
  }
  return stores;
}
