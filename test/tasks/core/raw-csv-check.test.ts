import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkRawCsvHead, sampleByteCount } from '../../../tasks/core/raw-csv-check.js';
import { RAW_HEADER, rawCsv, rawRow } from '../fixtures.js';

const encode = (text: string) => new TextEncoder().encode(text);
const head = (bytes: Uint8Array, isWholeObject = true, gzip = false) => ({ uri: 's3://ps-raw/raw/f.csv', bytes, isWholeObject, gzip });

describe('checkRawCsvHead', () => {
  it('ignores the cut-off last line of a ranged read', async () => {
    const text = rawCsv([rawRow(), rawRow()]);
    const cut = encode(text).subarray(0, text.length - 20);

    await expect(checkRawCsvHead(head(cut, false), 100)).resolves.toEqual({ sampledRows: 1 });
  });

  it('decompresses the head of a gzip stream that was cut short', async () => {
    const gz = gzipSync(rawCsv(Array.from({ length: 500 }, () => rawRow())));
    const cut = gz.subarray(0, Math.floor(gz.length / 2));

    await expect(checkRawCsvHead(head(cut, false, true), 10)).resolves.toEqual({ sampledRows: 10 });
  });

  it('checks only SAMPLE_ROWS rows', async () => {
    const text = rawCsv([rawRow(), rawRow(), rawRow({ SPEND: 'bad' })]);

    await expect(checkRawCsvHead(head(encode(text)), 2)).resolves.toEqual({ sampledRows: 2 });
  });

  it('strips a UTF-8 byte-order mark before the header', async () => {
    await expect(checkRawCsvHead(head(encode(`\uFEFF${rawCsv([rawRow()])}`)), 10)).resolves.toEqual({ sampledRows: 1 });
  });

  it('reports columns out of order', async () => {
    const swapped = RAW_HEADER.replace('SHOP_WEEK,SHOP_DATE', 'SHOP_DATE,SHOP_WEEK');

    await expect(checkRawCsvHead(head(encode(rawCsv([rawRow()], swapped))), 10)).rejects.toThrow(
      'columns are out of order: column 1 is SHOP_DATE but should be SHOP_WEEK',
    );
  });

  it('calls a column with a different case a rename', async () => {
    await expect(checkRawCsvHead(head(encode(rawCsv([rawRow()], RAW_HEADER.replace('seg_1', 'SEG_1')))), 10)).rejects.toThrow(
      'renamed columns: column 13 is "SEG_1" but should be "seg_1"',
    );
  });

  it('lists every problem found in the sample, capped with a count', async () => {
    const rows = Array.from({ length: 10 }, () => rawRow({ SHOP_HOUR: '25' }));

    await expect(checkRawCsvHead(head(encode(rawCsv(rows))), 100)).rejects.toThrow(/row 8 \(line 9\): SHOP_HOUR = "25" is not valid.* \(and 2 more problems\)$/);
  });

  it('rejects gzip content under a .csv key', async () => {
    await expect(checkRawCsvHead(head(gzipSync(rawCsv([rawRow()]))), 10)).rejects.toThrow('the content is gzip-compressed but the key ends in .csv');
  });
});

describe('sampleByteCount', () => {
  it('reads 64 KiB plus 1 KiB per sampled row, at most the object', async () => {
    expect(sampleByteCount(10_000_000, 1000)).toBe(65_536 + 1_024_000);
    expect(sampleByteCount(500, 1000)).toBe(500);
  });
});

describe('checkRawCsvHead on highly compressed gzip', () => {
  it('inflates only what the sample needs, even when the whole object was read', async () => {
    const gz = gzipSync(rawCsv(Array.from({ length: 20_000 }, () => rawRow())));

    await expect(checkRawCsvHead(head(gz, true, true), 10)).resolves.toEqual({ sampledRows: 10 });
  });
});
