import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitCsvRows } from '../../../local/etl/split-csv-rows.js';

function split(text: string, rowsPerFile: number) {
  const dir = mkdtempSync(join(tmpdir(), 'pricesense-split-csv-'));
  writeFileSync(join(dir, 'all.csv'), text);
  return splitCsvRows(join(dir, 'all.csv'), rowsPerFile, (part) => join(dir, `part-${part}.csv`)).then((result) => ({
    result,
    files: readdirSync(dir)
      .filter((name) => name.startsWith('part-'))
      .sort()
      .map((name) => readFileSync(join(dir, name), 'utf8')),
  }));
}

describe('splitCsvRows', () => {
  it('cuts records into files of at most rowsPerFile, the header in each', async () => {
    expect(await split('h1,h2\na,1\nb,2\nc,3\nd,4\ne,5\n', 2)).toEqual({
      result: { files: 3, records: 5 },
      files: ['h1,h2\na,1\nb,2\n', 'h1,h2\nc,3\nd,4\n', 'h1,h2\ne,5\n'],
    });
  });

  it('keeps a quoted field with a line break (and escaped quotes) in one record', async () => {
    expect(await split('id,note\n1,"two\nlines"\n2,"say ""hi""\n"\n3,x\n', 2)).toEqual({
      result: { files: 2, records: 3 },
      files: ['id,note\n1,"two\nlines"\n2,"say ""hi""\n"\n', 'id,note\n3,x\n'],
    });
  });

  it('writes no file for a header alone, and counts a last record without a line break', async () => {
    expect(await split('h\n', 10)).toEqual({ result: { files: 0, records: 0 }, files: [] });
    expect(await split('h\na\nb', 10)).toEqual({ result: { files: 1, records: 2 }, files: ['h\na\nb'] });
  });

  it('splits across read chunks (records longer than the 1 MiB chunk)', async () => {
    const long = 'x'.repeat(1_500_000);
    const { result, files } = await split(`h\n${long}\n${long}\n${long}\n`, 2);
    expect({ result, lengths: files.map((file) => file.length) }).toEqual({ result: { files: 2, records: 3 }, lengths: [2 + 2 * (long.length + 1), 2 + long.length + 1] });
  });

  it('rejects an unclosed quote and a rowsPerFile below 1', async () => {
    await expect(split('h\n"open\n', 2)).rejects.toThrow(/quoted field is never closed/);
    await expect(split('h\na\n', 0)).rejects.toThrow(/rowsPerFile must be a whole number >= 1, got 0/);
  });
});
