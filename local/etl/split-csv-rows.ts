/**
 * Splits one CSV file with a header into files of at most `rowsPerFile` records each, the header
 * repeated in every file, streaming (memory does not grow with the file). A record ends at a line
 * break outside double quotes (RFC 4180, as DuckDB writes CSV), so a quoted field holding a line
 * break stays in one record. One pass: writing N files costs one read of the source, where a
 * LIMIT/OFFSET query per file re-sorts the whole table N times.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/** Writes `targetPath(0)`, `targetPath(1)`, ...; resolves to the number of files and data records. */
export async function splitCsvRows(
  sourcePath: string,
  rowsPerFile: number,
  targetPath: (part: number) => string,
): Promise<{ files: number; records: number }> {
  if (!Number.isInteger(rowsPerFile) || rowsPerFile < 1) throw new Error(`rowsPerFile must be a whole number >= 1, got ${rowsPerFile}`);
  let header: Buffer | undefined;
  const headerParts: Buffer[] = [];
  let quoted = false;
  let records = 0;
  let files = 0;
  let out: WriteStream | undefined;
  let inRecord = false;

  /** Appends whole or partial records to the current file, opening the next one (header first) when none is open. */
  const write = async (bytes: Buffer) => {
    if (bytes.length === 0) return;
    if (out === undefined) {
      out = createWriteStream(targetPath(files));
      files += 1;
      out.write(header!);
    }
    // The read stream's chunks are fresh buffers, never reused: a slice is safe to queue.
    if (!out.write(bytes)) await once(out, 'drain');
  };
  const close = async () => {
    if (!out) return;
    const finished = once(out, 'finish');
    out.end();
    await finished;
    out = undefined;
  };

  for await (const chunk of createReadStream(sourcePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      const byte = chunk[index]!;
      if (byte === QUOTE) {
        quoted = !quoted;
        inRecord = true;
      } else if (byte === NEWLINE && !quoted) {
        if (header === undefined) {
          headerParts.push(chunk.subarray(start, index + 1));
          header = Buffer.concat(headerParts);
          start = index + 1;
          inRecord = false;
        } else {
          records += 1;
          inRecord = false;
          if (records % rowsPerFile === 0) {
            await write(chunk.subarray(start, index + 1));
            await close();
            start = index + 1;
          }
        }
      } else inRecord = true;
    }
    if (header === undefined) headerParts.push(chunk.subarray(start));
    else await write(chunk.subarray(start));
  }
  if (quoted) throw new Error(`${sourcePath}: a quoted field is never closed`);
  // A last record without a line break.
  if (inRecord && header !== undefined) records += 1;
  await close();
  return { files, records };
}
