/**
 * RFC 4180 CSV parsing: quoted fields may hold the delimiter, line breaks and doubled quotes;
 * records end with LF or CRLF. Blank lines are skipped. Text that breaks the quoting rules is
 * reported with its line number rather than guessed at.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based line of the file on which the record starts. */
  line: number;
}

export interface CsvParseResult {
  records: CsvRecord[];
  /**
   * Line where a quoted field opened and never closed before the text ended, or null. When the
   * text is only the head of a file this is the cut-off record; otherwise the file is malformed.
   */
  unterminatedQuoteLine: number | null;
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = '"';

export function parseCsv(text: string, delimiter = ','): CsvParseResult {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let fieldWasQuoted = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteOpenedOnLine = 0;
  let index = 0;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldWasQuoted = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && field === '' && !fieldWasQuoted;
    if (!blank) {
      endField();
      records.push({ fields, line: recordLine });
    }
    fields = [];
    field = '';
    fieldWasQuoted = false;
  };

  while (index < text.length) {
    const char = text[index]!;
    if (inQuotes) {
      if (char === QUOTE) {
        if (text[index + 1] === QUOTE) {
          field += QUOTE;
          index += 2;
          continue;
        }
        inQuotes = false;
        const next = text[index + 1];
        if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
          throw new CsvSyntaxError(
            `line ${line}: unexpected ${JSON.stringify(next)} after the closing quote of a quoted field; expected ${JSON.stringify(delimiter)} or the end of the line`,
            line,
          );
        }
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
      index += 1;
      continue;
    }
    if (char === delimiter) {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else if (char === QUOTE) {
      if (field !== '') {
        throw new CsvSyntaxError(
          `line ${line}: a quote inside the unquoted field ${JSON.stringify(field + char)}; quote the whole field and double inner quotes ("")`,
          line,
        );
      }
      inQuotes = true;
      fieldWasQuoted = true;
      quoteOpenedOnLine = line;
    } else {
      field += char;
    }
    index += 1;
  }

  if (inQuotes) return { records, unterminatedQuoteLine: quoteOpenedOnLine };
  endRecord();
  return { records, unterminatedQuoteLine: null };
}
