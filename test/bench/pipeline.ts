/**
 * Benchmark of the main job: `pricesense run` end to end on generated data, per size.
 * Reports the process wall time, the execution's per-state times, and the ratio of the
 * execution's wall time to the work itself (ETL + training + scoring), which shows how much the
 * orchestration (interpreter, emulators, polling, Lambdas) adds.
 *
 *   npx tsx test/bench/pipeline.ts [--rows 200000,2670000] [--keep]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const WORK_STATES = ['RawToSilver', 'SilverToGold', 'TrainModel', 'ScoreTestSplit'] as const;

interface RunReport {
  status: string;
  stateDurationsMs: Record<string, number>;
  metrics: { accuracy: number; macroF1: number } | null;
  gate: string | null;
}

function runPipeline(rows: number, stateDir: string): Promise<{ wallMs: number; report: RunReport; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/pricesense.mjs', 'run', '--rows', String(rows), '--state-dir', stateDir, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ wallMs: performance.now() - started, report: JSON.parse(last) as RunReport, stderr });
      } catch {
        reject(new Error(`pricesense run printed no JSON summary:\n${stderr.slice(-2000)}`));
      }
    });
  });
}

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000,2670000' }, keep: { type: 'boolean', default: false } } });
const sizes = values.rows.split(',').map(Number);
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const rows of sizes) {
  const stateDir = mkdtempSync(join(tmpdir(), `pricesense-bench-${rows}-`));
  const { wallMs, report, stderr } = await runPipeline(rows, stateDir);
  const durations = report.stateDurationsMs;
  const executionMs = Object.values(durations).reduce((sum, ms) => sum + ms, 0);
  const workMs = WORK_STATES.reduce((sum, state) => sum + (durations[state] ?? 0), 0);
  const generated = /Generated in ([\d.]+) s/.exec(stderr)?.[1];
  const opened = /opened the local backend in ([\d.]+) s/.exec(stderr)?.[1];
  console.log(`\n${rows.toLocaleString('en-US')} rows: ${report.status}, gate ${report.gate}, accuracy ${report.metrics?.accuracy.toFixed(3)}, macro F1 ${report.metrics?.macroF1.toFixed(3)}`);
  console.log(`  process wall ${(wallMs / 1000).toFixed(1)} s = synth+bootstrap ${opened} s + generate ${generated} s + execution ${(executionMs / 1000).toFixed(1)} s (+ start-up)`);
  for (const [state, ms] of Object.entries(durations)) if (ms >= 50) console.log(`  ${state.padEnd(24)} ${(ms / 1000).toFixed(2).padStart(7)} s`);
  console.log(`  work (ETL + training + scoring) ${(workMs / 1000).toFixed(1)} s; execution / work = ${(executionMs / workMs).toFixed(2)}`);
  if (!values.keep) rmSync(stateDir, { recursive: true, force: true });
}
