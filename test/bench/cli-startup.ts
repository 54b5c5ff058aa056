/**
 * Benchmark of the CLI's start-up: how long `pricesense` takes before it does the work asked.
 * Per checkout (this one, and with --against DIR another, e.g. main, interleaved run by run so
 * both see the same machine load; with --no-bundle also this one running its sources through tsx
 * instead of the CLI bundle, PRICESENSE_NO_BUNDLE) it measures, as medians:
 *   - `pricesense run --help` and `pricesense --help` (every command loaded): wall, user+sys CPU;
 *   - `pricesense run --rows N --deploy-target none` on a state directory that already holds the
 *     generated input and a cached synthesis: wall from spawning the process to the execution's
 *     ExecutionStarted event (its startDate), and the whole process's wall and CPU.
 *
 *   npx tsx test/bench/cli-startup.ts [--against /work/main] [--no-bundle] [--repeat 7] [--rows 20000] [--only run]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface Sample {
  wallMs: number;
  cpuMs: number;
  /** Process spawn to the execution's first event (runs only). */
  toFirstEventMs?: number;
}

/** Runs the checkout's CLI under /usr/bin/time, which reports the child's user+sys CPU. */
interface Variant {
  name: string;
  checkout: string;
  env: NodeJS.ProcessEnv;
}

function runCli(variant: Variant, args: string[]): Promise<{ wallMs: number; cpuMs: number; startedAt: number; stderr: string }> {
  return new Promise((done, reject) => {
    const startedAt = Date.now();
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, 'bin/pricesense.mjs', ...args], {
      cwd: variant.checkout,
      env: { ...process.env, ...variant.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const cpu = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      if (code !== 0 || !cpu) return reject(new Error(`pricesense ${args.join(' ')} in ${variant.name} exited ${code}:\n${stderr.slice(-2000)}`));
      done({ wallMs, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000, startedAt, stderr });
    });
  });
}

function newestExecutionStart(stateDir: string): number {
  const dir = join(stateDir, 'executions');
  const names = readdirSync(dir).sort();
  const record = JSON.parse(readFileSync(join(dir, names.at(-1)!, 'execution.json'), 'utf8')) as { startDate: string };
  return Date.parse(record.startDate);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const { values } = parseArgs({
  options: {
    against: { type: 'string' },
    'no-bundle': { type: 'boolean', default: false },
    repeat: { type: 'string', default: '7' },
    rows: { type: 'string', default: '20000' },
    only: { type: 'string' },
  },
});
const variants: Variant[] = [
  { name: process.cwd(), checkout: process.cwd(), env: {} },
  ...(values['no-bundle'] ? [{ name: `${process.cwd()} (sources)`, checkout: process.cwd(), env: { PRICESENSE_NO_BUNDLE: '1' } }] : []),
  ...(values.against ? [{ name: resolve(values.against), checkout: resolve(values.against), env: {} }] : []),
];
const repeat = Number(values.repeat);
const stateDirs = new Map(variants.map((variant) => [variant.name, mkdtempSync(join(tmpdir(), 'pricesense-startup-'))]));
const runArgs = (stateDir: string) => ['run', '--rows', values.rows, '--deploy-target', 'none', '--state-dir', stateDir, '--json'];

const cases: Array<{ name: string; sample: (variant: Variant) => Promise<Sample> }> = [
  { name: 'run --help', sample: (variant) => runCli(variant, ['run', '--help']) },
  { name: '--help', sample: (variant) => runCli(variant, ['--help']) },
  {
    name: `run --rows ${values.rows}`,
    sample: async (variant) => {
      const stateDir = stateDirs.get(variant.name)!;
      const result = await runCli(variant, runArgs(stateDir));
      return { ...result, toFirstEventMs: newestExecutionStart(stateDir) - result.startedAt };
    },
  },
];

console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
try {
  // One run per variant first: generates the input, fills the synthesis cache and the CLI bundle.
  for (const variant of variants) await runCli(variant, runArgs(stateDirs.get(variant.name)!));
  for (const { name, sample } of cases.filter((entry) => values.only === undefined || entry.name.startsWith(values.only!))) {
    const samples = new Map<string, Sample[]>(variants.map((variant) => [variant.name, []]));
    for (let round = 0; round < repeat; round++) for (const variant of variants) samples.get(variant.name)!.push(await sample(variant));
    for (const variant of variants) {
      const taken = samples.get(variant.name)!;
      const firstEvent = taken[0]?.toFirstEventMs === undefined ? '' : `, to first event ${median(taken.map((s) => s.toFirstEventMs!)).toFixed(0)} ms`;
      console.log(
        `${name.padEnd(18)} ${variant.name.padEnd(34)} wall ${median(taken.map((s) => s.wallMs)).toFixed(0)} ms, cpu ${median(taken.map((s) => s.cpuMs)).toFixed(0)} ms${firstEvent} (median of ${repeat})`,
      );
    }
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  for (const dir of stateDirs.values()) rmSync(dir, { recursive: true, force: true });
}
