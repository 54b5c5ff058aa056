/** Human-readable replay report for the terminal. */
import type { ReplayReport } from './replay-execution.js';

function short(value: unknown, limit = 400): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars)` : text;
}

/** How many divergences the report lists unless asked for all. */
export const FIRST_DIVERGENCES = 5;

export function formatReplayReport(report: ReplayReport, options: { all?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(report.identical ? 'IDENTICAL: the replay took the recorded path to the recorded outcome.' : 'DIVERGENT: the replay does not match the recording.');
  lines.push(`  path:    ${report.pathMatches ? 'same' : 'differs'} (${report.recorded.path.length} recorded state entries, ${report.replayed.path.length} replayed)`);
  lines.push(`  outcome: recorded ${report.recorded.status}${report.recorded.error ? ` ${report.recorded.error}` : ''}, replayed ${report.replayed.status}${report.replayed.error ? ` ${report.replayed.error}` : ''}`);
  if (report.redrives > 0) lines.push(`  redrives: ${report.redrives} (replayed as redrives of the replay)`);
  const changes = report.definitionChanges;
  if (changes) {
    lines.push('  definition: the recording ran a different definition than the one replayed');
    if (changes.changed.length > 0) lines.push(`    changed: ${changes.changed.join(', ')}`);
    if (changes.added.length > 0) lines.push(`    added:   ${changes.added.join(', ')}`);
    if (changes.removed.length > 0) lines.push(`    removed: ${changes.removed.join(', ')}`);
    if (changes.topLevel.length > 0) lines.push(`    top-level fields: ${changes.topLevel.join(', ')}`);
  }
  const shown = options.all ? report.divergences : report.divergences.slice(0, FIRST_DIVERGENCES);
  shown.forEach((divergence, index) => {
    lines.push(`${index === 0 ? '\nFirst divergence' : 'Then'}: [${divergence.kind}] ${divergence.message}`);
    if (divergence.recordedInput !== undefined) lines.push(`    recorded input: ${short(divergence.recordedInput)}`);
    if (divergence.replayedInput !== undefined) lines.push(`    replayed input: ${short(divergence.replayedInput)}`);
  });
  const hidden = report.divergences.length - shown.length;
  if (report.divergences.length > 0) {
    lines.push(`\n${report.divergences.length} divergence${report.divergences.length === 1 ? '' : 's'} in all${hidden > 0 ? ` (${hidden} not shown: --all lists them)` : ''}`);
  }
  return lines.join('\n');
}
