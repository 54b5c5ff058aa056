/**
 * RFC 4180 CSV parsing: quoted fields may hold the delimiter, line breaks and doubled quotes;
 * records end with LF, CRLF or CR. Blank lines are skipped. Text that breaks the quoting rules is
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

const QUOTE = 0x22;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Scans field boundaries with charCodeAt and slices, never building strings char by char. */
export function parseCsv(text: string, delimiter = ',', maxRecords = Infinity): CsvParseResult {
  const separator = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  const length = text.length;
  let position = 0;
  let line = 1;

  while (position < length && records.length < maxRecords) {
    const recordLine = line;
    const fields: string[] = [];
    let onlyEmptyUnquoted = true;
    for (;;) {
      let value: string;
      if (text.charCodeAt(position) === QUOTE) {
        const openedOn = line;
        value = '';
        let from = position + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) return { records, unterminatedQuoteLine: openedOn };
          const chunk = text.slice(from, close);
          value += chunk;
          line += countLineFeeds(chunk);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
            continue;
          }
          position = close + 1;
          break;
        }
        const next = text.charCodeAt(position);
        if (position < length && next !== separator && next !== LINE_FEED && next !== CARRIAGE_RETURN) {
          throw new CsvSyntaxError(
            `line ${line}: unexpected ${JSON.stringify(text[position])} after the closing quote of a quoted field; expected ${JSON.stringify(delimiter)} or the end of the line`,
            line,
          );
        }
        onlyEmptyUnquoted = false;
      } else {
        const fieldStart = position;
        while (position < length) {
          const code = text.charCodeAt(position);
          if (code === separator || code === LINE_FEED || code === CARRIAGE_RETURN) break;
          if (code === QUOTE) {
            throw new CsvSyntaxError(
              `line ${line}: a quote inside the unquoted field ${JSON.stringify(text.slice(fieldStart, position + 1))}; quote the whole field and double inner quotes ("")`,
              line,
            );
          }
          position += 1;
        }
        value = text.slice(fieldStart, position);
        if (value !== '') onlyEmptyUnquoted = false;
      }
      fields.push(value);
      const code = text.charCodeAt(position);
      if (position < length && code === separator) {
        position += 1;
        onlyEmptyUnquoted = false;
        continue;
      }
      if (code === CARRIAGE_RETURN) position += text.charCodeAt(position + 1) === LINE_FEED ? 2 : 1;
      else if (code === LINE_FEED) position += 1;
      line += 1;
      break;
    }
    const blankLine = fields.length === 1 && onlyEmptyUnquoted;
    if (!blankLine) records.push({ fields, line: recordLine });
  }
  return { records, unterminatedQuoteLine: null };
}

function countLineFeeds(chunk: string): number {
  let count = 0;
  for (let index = chunk.indexOf('\n'); index !== -1; index = chunk.indexOf('\n', index + 1)) count += 1;
  return count;
}
