/**
 * The built-in XGBoost container's wire format for multi:softprob, used by batch transform and
 * InvokeEndpoint:
 * - request `text/csv`: one row per line, features only, no header, an empty field is missing;
 * - response `text/csv`: one line per row, the class probabilities separated by commas;
 * - response `application/json`: `{"predictions": [{"score": [p0, p1, p2]}, ...]}`.
 */

export class CsvPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvPayloadError';
  }
}

/** Parses feature rows into one row-major matrix; every problem names the row and column. */
export function parseFeatureRows(text: string, numFeatures: number, source = 'payload'): { values: Float64Array; numRows: number } {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new CsvPayloadError(`The ${source} is empty: expected CSV rows of ${numFeatures} features`);
  const values = new Float64Array(lines.length * numFeatures);
  for (let row = 0; row < lines.length; row++) {
    const fields = lines[row]!.split(',');
    if (fields.length !== numFeatures) {
      throw new CsvPayloadError(`Row ${row + 1} of the ${source} has ${fields.length} columns; expected ${numFeatures} features (no label, no header)`);
    }
    for (let column = 0; column < numFeatures; column++) {
      const field = fields[column]!;
      // Number() ignores the same surrounding whitespace trim() removes; only a blank field also reads as 0.
      const value = Number(field);
      values[row * numFeatures + column] =
        value !== 0 ? (Number.isFinite(value) ? value : nonFiniteField(field, row, column, source)) : field.trim() === '' ? Number.NaN : value;
    }
  }
  return { values, numRows: lines.length };
}

/** NaN and infinities as words are values; anything else that is not a finite number is an error. */
function nonFiniteField(field: string, row: number, column: number, source: string): number {
  const trimmed = field.trim();
  if (!/^[+-]?(inf|infinity|nan)$/i.test(trimmed)) {
    throw new CsvPayloadError(`Row ${row + 1}, column ${column + 1} of the ${source} is not a number: ${JSON.stringify(field)}`);
  }
  if (/nan$/i.test(trimmed)) return Number.NaN;
  return trimmed.startsWith('-') ? -Infinity : Infinity;
}

export function formatCsvPredictions(probabilities: Float64Array, numClass: number): string {
  const lines: string[] = [];
  for (let offset = 0; offset < probabilities.length; offset += numClass) {
    lines.push(Array.from(probabilities.subarray(offset, offset + numClass)).join(','));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function formatJsonPredictions(probabilities: Float64Array, numClass: number): string {
  const predictions: Array<{ score: number[] }> = [];
  for (let offset = 0; offset < probabilities.length; offset += numClass) {
    predictions.push({ score: Array.from(probabilities.subarray(offset, offset + numClass)) });
  }
  return JSON.stringify({ predictions });
}
