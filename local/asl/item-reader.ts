import type { ItemReaderDefinition } from './definition.js';
import { StatesErrorName } from './errors/error-names.js';
import { StatesError } from './errors/states-error.js';

/**
 * Turns an ItemReader's response into the item list: `Contents` of s3:listObjectsV2, or the object
 * body of s3:getObject parsed as ReaderConfig.InputType (JSON array, JSONL, CSV), or a plain array.
 */
export function itemsFromReaderResponse(stateName: string, reader: ItemReaderDefinition, response: unknown, maxItems?: number): unknown[] {
  const items = extractItems(stateName, reader, response);
  return maxItems !== undefined && maxItems > 0 ? items.slice(0, maxItems) : items;
}

function readerFailed(stateName: string, reason: string): StatesError {
  return new StatesError(StatesErrorName.ItemReaderFailed, `The ItemReader of Map state '${stateName}' failed: ${reason}`);
}

function extractItems(stateName: string, reader: ItemReaderDefinition, response: unknown): unknown[] {
  if (Array.isArray(response)) return response;
  const record = (response ?? {}) as Record<string, unknown>;
  if (reader.Resource.endsWith(':listObjectsV2')) {
    const contents = record.Contents ?? [];
    if (!Array.isArray(contents)) throw readerFailed(stateName, `the listObjectsV2 response has no Contents list`);
    return contents;
  }
  const body = typeof response === 'string' ? response : record.Body;
  if (typeof body !== 'string') {
    throw readerFailed(stateName, `expected an array, a listObjectsV2 response with Contents, or an object Body string; got ${JSON.stringify(response)?.slice(0, 200)}`);
  }
  const inputType = reader.ReaderConfig?.InputType ?? 'JSON';
  switch (inputType) {
    case 'JSON': {
      const parsed = parseJson(stateName, body);
      if (!Array.isArray(parsed)) throw readerFailed(stateName, 'the JSON object body must be an array of items');
      return parsed;
    }
    case 'JSONL':
      return body.split(/\r?\n/).filter((line) => line.trim() !== '').map((line) => parseJson(stateName, line));
    case 'CSV':
      return parseCsvItems(stateName, reader, body);
    default:
      throw readerFailed(stateName, `ReaderConfig.InputType '${inputType}' is not supported locally (supported: JSON, JSONL, CSV)`);
  }
}

function parseJson(stateName: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw readerFailed(stateName, `the object body is not valid JSON (${(error as Error).message})`);
  }
}

const delimiters = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' } as const;

/** RFC 4180 fields: quoted fields may hold delimiters, newlines and doubled quotes. */
function parseCsvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => !(cells.length === 1 && cells[0] === ''));
}

/** Each CSV row becomes an object keyed by the header, every value a string (as in AWS). */
function parseCsvItems(stateName: string, reader: ItemReaderDefinition, body: string): unknown[] {
  const config = reader.ReaderConfig ?? {};
  const rows = parseCsvRows(body, delimiters[config.CSVDelimiter ?? 'COMMA']);
  const given = config.CSVHeaderLocation === 'GIVEN';
  const header = given ? config.CSVHeaders : rows.shift();
  if (!header || header.length === 0) throw readerFailed(stateName, given ? 'CSVHeaderLocation GIVEN needs CSVHeaders' : 'the CSV object is empty');
  return rows.map((cells) => Object.fromEntries(header.map((column, i) => [column, cells[i] ?? ''])));
}
