import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkRawCsvHead, sampleByteCount } from '../../../../tasks/core/validate-input/raw-csv-check.js';
import { RAW_HEADER, rawCsv, rawRow } from '../../fixtures.js';

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

  // Issue 14, case 8: these passed ValidateInput and then failed at RawToSilver, whose CSV
  // readers (Glue and local) take the header line as it is. Now they are refused up front.
  it('refuses a UTF-8 byte-order mark, with or without CRLF, naming the fix', async () => {
    for (const text of [`\uFEFF${rawCsv([rawRow()])}`, `\uFEFF${rawCsv([rawRow()]).replace(/\n/g, '\r\n')}`]) {
      await expect(checkRawCsvHead(head(encode(text)), 10)).rejects.toThrow(
        'the file starts with a UTF-8 byte-order mark (U+FEFF): expected the header line to start with SHOP_WEEK; save the CSV as UTF-8 without BOM',
      );
    }
  });

  it('accepts CRLF line ends', async () => {
    await expect(checkRawCsvHead(head(encode(rawCsv([rawRow()]).replace(/\n/g, '\r\n'))), 10)).resolves.toEqual({ sampledRows: 1 });
  });

  it.each([
    ['quoted', RAW_HEADER.replace('SHOP_WEEK', '"SHOP_WEEK"'), 'column 1 is written "\\"SHOP_WEEK\\""'],
    ['padded', RAW_HEADER.replace('SPEND', ' SPEND '), 'column 6 is written " SPEND "'],
  ])('refuses %s header names, naming the column', async (_kind, header, column) => {
    await expect(checkRawCsvHead(head(encode(rawCsv([rawRow()], header))), 10)).rejects.toThrow(
      `the header names must be written bare, without quotes or spaces around them: ${column}; expected exactly ${RAW_HEADER}`,
    );
  });

  // Issue 14, case 4: a 1 MiB header used to be quoted whole (a 2.1 MB cause).
  it('keeps the message short for a 1 MiB header: every quoted value is cut to 200 characters', async () => {
    const hugeName = 'X'.repeat(1024 * 1024);
    const error = await checkRawCsvHead(head(encode(rawCsv([rawRow()], RAW_HEADER.replace('SHOP_HOUR', hugeName)))), 10).catch((caught: Error) => caught);
    const quoted = (error as Error).message.match(/"X+…" \(1048576 characters, cut\)/)?.[0] ?? '';
    expect({ length: (error as Error).message.length < 2000, quoted: quoted.length <= 200, marker: quoted.endsWith('(1048576 characters, cut)') }).toEqual({
      length: true,
      quoted: true,
      marker: true,
    });
  });

  it('keeps the message short for a header of 50,000 unexpected columns', async () => {
    const header = `${RAW_HEADER},${Array.from({ length: 50_000 }, (_, i) => `extra${i}`).join(',')}`;
    const error = await checkRawCsvHead(head(encode(rawCsv([rawRow()], header))), 10).catch((caught: Error) => caught);
    expect((error as Error).message).toContain('unexpected columns: "extra0" (column 23), "extra1" (column 24), "extra2" (column 25), "extra3" (column 26), "extra4" (column 27) and 49995 more');
  });

  it('cuts a long bad value in a row problem to 200 characters with a marker', async () => {
    const error = await checkRawCsvHead(head(encode(rawCsv([rawRow({ SPEND: '9'.repeat(100_000) })]))), 10).catch((caught: Error) => caught);
    expect((error as Error).message).toContain(`SPEND = "${'9'.repeat(170)}`);
    expect((error as Error).message.length).toBeLessThan(600);
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
