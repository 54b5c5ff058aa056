/** Human-readable replay report for the terminal. */
import type { ReplayReport } from './replay-execution.js';

function short(value: unknown, limit = 400): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars)` : text;
}

export function formatReplayReport(report: ReplayReport): string {
  const lines: string[] = [];
  lines.push(report.identical ? 'IDENTICAL: the replay took the recorded path to the recorded outcome.' : 'DIVERGENT: the replay does not match the recording.');
  lines.push(`  path:    ${report.pathMatches ? 'same' : 'differs'} (${report.recorded.path.length} recorded state entries, ${report.replayed.path.length} replayed)`);
  lines.push(`  outcome: recorded ${report.recorded.status}${report.recorded.error ? ` ${report.recorded.error}` : ''}, replayed ${report.replayed.status}${report.replayed.error ? ` ${report.replayed.error}` : ''}`);
  report.divergences.forEach((divergence, index) => {
    lines.push(`${index === 0 ? '\nFirst divergence' : 'Then'}: [${divergence.kind}] ${divergence.message}`);
    if (divergence.recordedInput !== undefined) lines.push(`    recorded input: ${short(divergence.recordedInput)}`);
    if (divergence.replayedInput !== undefined) lines.push(`    replayed input: ${short(divergence.replayedInput)}`);
  });
  return lines.join('\n');
}
