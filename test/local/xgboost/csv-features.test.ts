import { describe, expect, it } from 'vitest';

import { FeatureCsvError, parseFeatureCsv, parseXgboostFloat } from '../../../local/xgboost/csv-features.js';

describe('parseXgboostFloat', () => {
  it('reproduces dmlc-core rounding where it differs from a correctly rounded float32 (1.0097)', () => {
    expect(parseXgboostFloat('1.0097')).toBe(1.009700059890747);
    expect(Math.fround(1.0097)).toBe(1.0096999406814575);
  });

  it('reads signs and exponents as float32 values', () => {
    expect([parseXgboostFloat('-2.5'), parseXgboostFloat('3e2'), parseXgboostFloat('1.5E-1')]).toEqual([-2.5, 300, Math.fround(0.15)]);
  });
});

describe('parseFeatureCsv', () => {
  it('reads empty fields and nan as missing values', () => {
    const parsed = parseFeatureCsv('1,,3\nnan,2,0\n', 3);

    expect(parsed.numRows).toBe(2);
    expect(Array.from(parsed.values)).toEqual([1, NaN, 3, NaN, 2, 0]);
  });

  it('skips blank lines and accepts CRLF line ends', () => {
    const parsed = parseFeatureCsv('1,2\r\n\r\n3,4\r\n', 2);

    expect(Array.from(parsed.values)).toEqual([1, 2, 3, 4]);
  });

  it('names the row, the column count and the expected count when a row is too long', () => {
    expect(() => parseFeatureCsv('1,2\n1,2,3\n', 2)).toThrow('row 2 has 3 columns, expected 2 features');
  });

  it('names the value, row and column of a non-numeric cell', () => {
    expect(() => parseFeatureCsv('1,2\n3,abc\n', 2)).toThrow(new FeatureCsvError('non-numeric value "abc" at row 2 column 2: expected a number or an empty field for a missing value', 2, 2));
  });

  it('rejects a body without rows', () => {
    expect(() => parseFeatureCsv('\n \n', 2)).toThrow('the CSV body has no rows');
  });
});
