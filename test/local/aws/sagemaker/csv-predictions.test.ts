import { describe, expect, it } from 'vitest';
import { formatCsvPredictions, parseFeatureRows } from '../../../../local/aws/sagemaker/csv-predictions.js';

describe('parseFeatureRows (batch transform and InvokeEndpoint text/csv)', () => {
  it('reads numbers, blank fields as missing, NaN and infinities written as words', () => {
    const parsed = parseFeatureRows('1,2.5,-3e2,0\r\n, ,nan,-0\n Infinity ,-inf,+INF,0x10\n\n', 4);
    expect(parsed.numRows).toBe(3);
    expect(Array.from(parsed.values)).toEqual([1, 2.5, -300, 0, NaN, NaN, NaN, -0, Infinity, -Infinity, Infinity, 16]);
    expect(Object.is(parsed.values[7], -0)).toBe(true);
  });

  it('names the row and column of a field that is not a number, an overflow included', () => {
    expect(() => parseFeatureRows('1,2\n3,abc\n', 2, 'request body')).toThrow('Row 2, column 2 of the request body is not a number: "abc"');
    expect(() => parseFeatureRows('1e999,2\n', 2)).toThrow('Row 1, column 1 of the payload is not a number: "1e999"');
    expect(() => parseFeatureRows('1,-\n', 2)).toThrow('Row 1, column 2 of the payload is not a number: "-"');
  });

  it('rejects a row with the wrong number of columns and an empty payload', () => {
    expect(() => parseFeatureRows('1,2,3\n4,5\n', 3, 'input object a.csv')).toThrow('Row 2 of the input object a.csv has 2 columns; expected 3 features (no label, no header)');
    expect(() => parseFeatureRows('\n\n', 3)).toThrow('The payload is empty: expected CSV rows of 3 features');
  });
});

describe('formatCsvPredictions', () => {
  it('writes one line of class probabilities per row', () => {
    expect(formatCsvPredictions(new Float64Array([0.25, 0.5, 0.25, 0.1, 0.2, 0.7]), 3)).toBe('0.25,0.5,0.25\n0.1,0.2,0.7\n');
    expect(formatCsvPredictions(new Float64Array([]), 3)).toBe('');
  });
});
