/** Prints a run summary for people (stderr) or as one JSON line for machines (stdout). */
import { LABELS } from '../../workflow/dataset-schema.js';
import type { RunSummary } from '../pipeline-runner/run-summary.js';
import { roundNumbers } from '../pipeline-runner/progress.js';

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
/** `82.7% [81.0-84.3]`: the value and its 95 % interval when there is one. */
const pctWithin = (value: number, interval: readonly [number, number] | undefined) =>
  interval ? `${pct(value)} [${(interval[0] * 100).toFixed(1)}-${(interval[1] * 100).toFixed(1)}]` : pct(value);

/** A Lambda failure's cause is the runtime's JSON ({errorMessage, errorType, trace}): people need the message. */
export function readableCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: already readable
  }
  return cause;
}

export function printRunSummary(report: RunSummary, options: { json: boolean; log: (line: string) => void }): void {
  const { log } = options;
  log('');
  log(`Execution ${report.executionName}: ${report.status}`);
  if (report.input) log(`  input          s3://${report.input.bucket}/${report.input.key}`);
  if (report.metrics) {
    const m = report.metrics;
    const ci = m.intervals95;
    log(`  accuracy       ${pctWithin(m.accuracy, ci?.accuracy)}    macro F1 ${pctWithin(m.macroF1, ci?.macroF1)}${ci ? '    [95% interval]' : ''}`);
    log(`  precision      ${LABELS.map((label) => `${label} ${pctWithin(m.precision[label], ci?.precision[label])}`).join('  ')}`);
    log(`  recall         ${LABELS.map((label) => `${label} ${pct(m.recall[label])}`).join('  ')}`);
  }
  if (report.rows) {
    const rows = report.rows;
    const reasons = Object.entries(rows.rejectedByReason).filter(([, count]) => count > 0).map(([reason, count]) => `${reason} ${count.toLocaleString('en-US')}`);
    log(
      `  rows           ${rows.in.toLocaleString('en-US')} in, ${rows.rejected.toLocaleString('en-US')} rejected (${pct(rows.rejectedShare)})${reasons.length > 0 ? `: ${reasons.join(', ')}` : ''}; ${rows.duplicatesRemoved.toLocaleString('en-US')} duplicates removed; ${rows.out.toLocaleString('en-US')} to silver`,
    );
  }
  if (report.gate) log(`  metric gate    ${report.gate}`);
  if (report.modelPackage) {
    log(`  model          ${report.modelPackage.group} version ${report.modelPackage.version} (${report.modelPackage.approvalStatus})`);
  }
  if (report.endpoint) log(`  served by      endpoint ${report.endpoint.name} — \`pricesense serve\` answers at ${report.endpoint.url}`);
  if (report.eksDeployment) log(`  served by      EKS deployment ${report.eksDeployment.namespace}/${report.eksDeployment.name} (local record)`);
  if (report.status !== 'SUCCEEDED') {
    log(`  failed state   ${report.failedState ?? '(unknown)'}`);
    log(`  error          ${report.error ?? '(none)'}`);
    if (report.cause) log(`  cause          ${roundNumbers(readableCause(report.cause))}`);
  }
  log(`  history        ${report.historyPath}  (pricesense inspect ${report.executionName})`);
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
}
