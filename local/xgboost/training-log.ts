/**
 * Parsing of the per-round evaluation lines the `xgboost` command prints, e.g.
 * `[13:40:47] [12]\tvalidation-mlogloss:0.45\ttrain-mlogloss:0.41`, into SageMaker-style metric
 * names (`validation:mlogloss`, `train:mlogloss`).
 */

export interface RoundMetrics {
  round: number;
  /** SageMaker metric name -> value (NaN for `nan`). */
  values: Map<string, number>;
}

const ROUND_LINE = /\[(\d+)\]((?:\t[^\t:]+:[^\t]+)+)\s*$/;

function parseValue(text: string): number {
  const lower = text.trim().toLowerCase();
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  return Number(lower);
}

/** The metrics of one evaluation line, or undefined for any other log line. */
export function parseRoundLine(line: string): RoundMetrics | undefined {
  const match = ROUND_LINE.exec(line);
  if (!match) return undefined;
  const values = new Map<string, number>();
  for (const pair of match[2]!.split('\t').filter(Boolean)) {
    const colon = pair.lastIndexOf(':');
    const key = pair.slice(0, colon);
    const dash = key.indexOf('-');
    if (colon < 0 || dash < 0) return undefined;
    values.set(`${key.slice(0, dash)}:${key.slice(dash + 1)}`, parseValue(pair.slice(colon + 1)));
  }
  return { round: Number(match[1]), values };
}

/** Final metrics as SageMaker reports them: each metric's value at the given round. */
export function metricsAt(round: RoundMetrics | undefined): Array<{ name: string; value: number }> {
  if (!round) return [];
  return [...round.values.entries()].map(([name, value]) => ({ name, value }));
}
