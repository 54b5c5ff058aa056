import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from '../../../../tasks/core/shared/csv-records.js';

describe('parseCsv (RFC 4180)', () => {
  it('splits records on LF and CRLF and skips blank lines', () => {
    expect(parseCsv('a,b\r\n1,2\n\n3,4').records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
      { fields: ['3', '4'], line: 4 },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const { records } = parseCsv('x,"a, ""b""\nc",y\nnext,1,2\n');

    expect(records).toEqual([
      { fields: ['x', 'a, "b"\nc', 'y'], line: 1 },
      { fields: ['next', '1', '2'], line: 3 },
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c,\n').records[0]!.fields).toEqual(['a', '', 'c', '']);
  });

  it('reports the line of a quote that never closes', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n')).toMatchObject({ unterminatedQuoteLine: 2 });
  });

  it('rejects text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow(new CsvSyntaxError('line 2: unexpected "y" after the closing quote of a quoted field; expected "," or the end of the line', 2));
  });

  it('rejects a quote inside an unquoted field', () => {
    expect(() => parseCsv('ab"c,1\n')).toThrow(CsvSyntaxError);
  });
});
