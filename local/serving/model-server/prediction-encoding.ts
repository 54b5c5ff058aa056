/**
 * Response bodies of SageMaker's built-in XGBoost 1.7 container for `multi:softprob`, and a reader
 * for them.
 *
 * Source: aws/sagemaker-xgboost-container, src/sagemaker_xgboost_container/algorithm_mode/serve.py
 * (`invocations`): without selectable inference the body is `",".join(map(str, preds.tolist()))`,
 * and with SAGEMAKER_BATCH set (batch transform) `"\n".join(map(str, preds.tolist())) + "\n"`. For
 * softprob `preds` is a 2-D float32 array, so each row prints as a Python list:
 * `[0.1, 0.2, 0.7]` — real-time: rows joined by ","; batch: one row per line. JSON follows the
 * container's selectable-inference encoding (serve_utils.encode_selected_predictions) with the keys
 * `predicted_label` and `probabilities`: `{"predictions": [{"predicted_label": 2, "probabilities": [...]}]}`.
 */

/** Python's repr() of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e16) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[-+]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

function rowText(probabilities: Float64Array, row: number, numClass: number): string {
  const parts: string[] = [];
  for (let k = 0; k < numClass; k++) parts.push(pythonFloatRepr(probabilities[row * numClass + k]!));
  return `[${parts.join(', ')}]`;
}

/** The container's text/csv body: rows joined by "," (real-time) or one row per line (batch). */
export function encodeCsvPredictions(probabilities: Float64Array, numClass: number, options: { batch?: boolean } = {}): string {
  const rows: string[] = [];
  for (let r = 0; r < probabilities.length / numClass; r++) rows.push(rowText(probabilities, r, numClass));
  return options.batch ? `${rows.join('\n')}\n` : rows.join(',');
}

export function encodeJsonPredictions(probabilities: Float64Array, numClass: number): string {
  const predictions: Array<{ predicted_label: number; probabilities: number[] }> = [];
  for (let r = 0; r < probabilities.length / numClass; r++) {
    const row = Array.from(probabilities.subarray(r * numClass, (r + 1) * numClass));
    let label = 0;
    for (let k = 1; k < numClass; k++) if (row[k]! > row[label]!) label = k;
    predictions.push({ predicted_label: label, probabilities: row });
  }
  return JSON.stringify({ predictions });
}

/** Reads either text/csv form back into rows of class probabilities. */
export function parseCsvPredictions(body: string): number[][] {
  const rows = body.match(/\[[^\]]*\]/g) ?? [];
  return rows.map((row) =>
    row
      .slice(1, -1)
      .split(',')
      .map((cell) => Number(cell.trim())),
  );
}
