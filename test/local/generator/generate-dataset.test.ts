import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { RAW_COLUMNS } from '../../../workflow/dataset-schema.js';
import { generateDataset, GeneratorOptionsError } from '../../../local/generator/generate-dataset.js';
import type { Manifest } from '../../../local/generator/manifest.js';

const ROWS = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'pricesense-generator-'));
const column = (name: string) => RAW_COLUMNS.indexOf(name as (typeof RAW_COLUMNS)[number]);
const BASKET_COLUMNS = [
  'SHOP_WEEK', 'SHOP_DATE', 'SHOP_WEEKDAY', 'SHOP_HOUR', 'CUST_CODE', 'seg_1', 'seg_2', 'BASKET_SIZE',
  'BASKET_PRICE_SENSITIVITY', 'BASKET_TYPE', 'BASKET_DOMINANT_MISSION', 'STORE_CODE', 'STORE_FORMAT', 'STORE_REGION',
].map(column);

let manifest: Manifest;
let text: string;
let rows: string[][];

beforeAll(async () => {
  manifest = await generateDataset({ rows: ROWS, seed: 42, out: join(dir, 'data.csv') });
  text = readFileSync(join(dir, 'data.csv'), 'utf8');
  rows = text.trimEnd().split('\n').slice(1).map((line) => line.split(','));
});

function byBasket(): Map<string, string[][]> {
  const baskets = new Map<string, string[][]>();
  for (const row of rows) {
    const id = row[column('BASKET_ID')]!;
    baskets.set(id, [...(baskets.get(id) ?? []), row]);
  }
  return baskets;
}

describe('generateDataset', () => {
  it('writes the 22 schema columns as the header', () => {
    expect(text.slice(0, text.indexOf('\n'))).toBe(RAW_COLUMNS.join(','));
  });

  it('writes exactly the requested number of rows, each with 22 fields', () => {
    expect(rows).toHaveLength(ROWS);
    expect(rows.every((row) => row.length === 22)).toBe(true);
  });

  it('writes the same bytes for the same seed', async () => {
    await generateDataset({ rows: ROWS, seed: 42, out: join(dir, 'again.csv') });
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(text);
  });

  it('writes different data for another seed', async () => {
    await generateDataset({ rows: ROWS, seed: 43, out: join(dir, 'other.csv') });
    expect(readFileSync(join(dir, 'other.csv'), 'utf8')).not.toBe(text);
  });

  it('gzips when the file name ends in .gz, with the same content', async () => {
    await generateDataset({ rows: ROWS, seed: 42, out: join(dir, 'data.csv.gz') });
    expect(gunzipSync(readFileSync(join(dir, 'data.csv.gz'))).toString('utf8')).toBe(text);
  });

  it('keeps every basket-level field equal on all rows of a basket', () => {
    const disagreeing = [...byBasket().values()].filter((lines) =>
      BASKET_COLUMNS.some((index) => new Set(lines.map((line) => line[index])).size > 1),
    );
    expect(disagreeing).toEqual([]);
  });

  it('sets BASKET_SIZE from the number of distinct lines (S <= 4, M <= 12, L above)', () => {
    const wrong = [...byBasket().entries()].filter(([, lines]) => {
      const items = new Set(lines.map((line) => line.join(','))).size;
      const expected = items <= 4 ? 'S' : items <= 12 ? 'M' : 'L';
      return lines[0]![column('BASKET_SIZE')] !== expected;
    });
    expect(wrong).toEqual([]);
  });

  it('writes dates that exist, agree with SHOP_WEEKDAY (1 = Sunday) and lie in their SHOP_WEEK', () => {
    const bad = rows.filter((row) => {
      const date = row[column('SHOP_DATE')]!;
      const parsed = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))));
      const exists = parsed.getUTCDate() === Number(date.slice(6, 8));
      const weekday = parsed.getUTCDay() + 1 === Number(row[column('SHOP_WEEKDAY')]);
      const week = Number(row[column('SHOP_WEEK')]);
      return !exists || !weekday || week < manifest.firstShopWeek || week > manifest.lastShopWeek;
    });
    expect(bad).toEqual([]);
  });

  it('keeps SHOP_HOUR within 0-23', () => {
    expect(rows.filter((row) => !(Number(row[column('SHOP_HOUR')]) >= 0 && Number(row[column('SHOP_HOUR')]) <= 23))).toEqual([]);
  });

  it('leaves CUST_CODE empty on about 15% of rows', () => {
    const share = rows.filter((row) => row[column('CUST_CODE')] === '').length / rows.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.2);
  });

  it('maps each PROD_CODE to exactly one PROD_CODE_10, _20, _30 and _40', () => {
    const parents = new Map<string, Set<string>>();
    for (const row of rows) {
      const key = row[column('PROD_CODE')]!;
      parents.set(key, (parents.get(key) ?? new Set()).add(row.slice(column('PROD_CODE_10'), column('PROD_CODE_40') + 1).join('/')));
    }
    expect([...parents.values()].filter((set) => set.size > 1)).toEqual([]);
  });

  it('puts some XX codes in BASKET_TYPE, BASKET_DOMINANT_MISSION, seg_1, seg_2 and the label', () => {
    const withXx = ['BASKET_TYPE', 'BASKET_DOMINANT_MISSION', 'seg_1', 'seg_2', 'BASKET_PRICE_SENSITIVITY'].filter((name) =>
      rows.some((row) => row[column(name)] === 'XX'),
    );
    expect(withXx).toEqual(['BASKET_TYPE', 'BASKET_DOMINANT_MISSION', 'seg_1', 'seg_2', 'BASKET_PRICE_SENSITIVITY']);
  });

  it('records in the manifest the counts found in the file', () => {
    const baskets = byBasket();
    const labels = { LA: 0, MM: 0, UM: 0, XX: 0 };
    for (const lines of baskets.values()) labels[lines[0]![column('BASKET_PRICE_SENSITIVITY')] as keyof typeof labels] += 1;
    const duplicates = rows.length - new Set(rows.map((row) => row.join(','))).size;
    expect({ baskets: manifest.baskets, labelCounts: manifest.labelCounts, duplicateRows: manifest.duplicateRows, rows: manifest.rows }).toEqual({
      baskets: baskets.size,
      labelCounts: labels,
      duplicateRows: duplicates,
      rows: ROWS,
    });
  });

  it('writes the manifest beside the file', () => {
    expect(JSON.parse(readFileSync(join(dir, 'data.csv.manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('leaves a Bayes-optimal accuracy between 0.83 and 0.9 at the default label noise', () => {
    expect(manifest.bayesOptimalAccuracy).toBeGreaterThan(0.83);
    expect(manifest.bayesOptimalAccuracy).toBeLessThan(0.9);
  });

  it('drives the Bayes-optimal accuracy near chance at label noise 0.95', async () => {
    const noisy = await generateDataset({ rows: 5000, seed: 42, out: join(dir, 'noisy.csv'), labelNoise: 0.95 });
    expect(noisy.bayesOptimalAccuracy).toBeLessThan(0.37);
  });

  it.each([
    [{ rows: 0 }, 'rows must be a whole number >= 1, got 0'],
    [{ seed: -1 }, 'seed must be a whole number from 0 to 4294967295, got -1'],
    [{ weeks: 0 }, 'weeks must be a whole number from 1 to 520, got 0'],
    [{ labelNoise: 1.5 }, 'label noise must be a number from 0 to 1, got 1.5'],
    [{ out: 'data.json' }, 'out must be a file path ending in .csv or .csv.gz, got "data.json"'],
  ])('rejects %j naming the value and what is expected', async (override, message) => {
    const options = { rows: 10, seed: 1, out: join(dir, 'bad.csv'), ...override };
    await expect(generateDataset(options)).rejects.toThrow(new GeneratorOptionsError(message));
  });
});
