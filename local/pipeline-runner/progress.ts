/**
 * Live progress of a local execution on a terminal: one line per state as it ends (name, outcome,
 * duration), and while a state runs, a status line with its elapsed time so long steps (ETL,
 * training, scoring) visibly move. Without a TTY (CI, pipes) only the finished lines are printed.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Hide the states of Map iterations (e.g. one line per ingested file) behind their Map. */
  collapseMapIterations?: boolean;
}

const SYMBOL = { succeeded: '✔', failed: '✖', caught: '↪', running: '…', loop: '↻' } as const;

/** Long decimals in causes (metrics) to 3 significant digits: 0.492307692307692 → 0.492. */
export function roundNumbers(text: string): string {
  return text.replace(/-?\d+\.\d{4,}/g, (number) => String(Number(Number(number).toPrecision(3))));
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export class ProgressDisplay {
  private readonly stream: NodeJS.WriteStream;
  private readonly live: boolean;
  private readonly running = new Map<string, { startedAt: number; attempts: number; failed?: string }>();
  /** How often each state ended: a state ending again is a polling loop, shown once as ×N. */
  private readonly ended = new Map<string, number>();
  private loop: string[] = [];
  private readonly collapse: boolean;
  private mapDepth = 0;
  private timer: NodeJS.Timeout | undefined;
  private statusShown = false;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.live = Boolean(this.stream.isTTY);
    this.collapse = options.collapseMapIterations ?? true;
  }

  start(): void {
    if (this.live) this.timer = setInterval(() => this.renderStatus(), 250);
  }

  stop(): void {
    if (this.loop.length > 0) this.flushLoop();
    if (this.timer) clearInterval(this.timer);
    this.clearStatus();
  }

  onEvent(event: HistoryEvent): void {
    const type = String(event.type);
    const at = new Date(event.timestamp ?? Date.now()).getTime();
    if (type === 'MapIterationStarted') this.mapDepth += 1;
    if (type === 'MapIterationSucceeded' || type === 'MapIterationFailed' || type === 'MapIterationAborted') {
      this.mapDepth = Math.max(0, this.mapDepth - 1);
    }
    const nested = this.collapse && this.mapDepth > 0;
    if (type.endsWith('StateEntered') && !nested) {
      const name = event.stateEnteredEventDetails?.name ?? '?';
      // A state that raised and is left without ending had its error caught.
      for (const [other, state] of this.running) {
        if (state.failed === undefined || other === name) continue;
        this.running.delete(other);
        this.line(`${SYMBOL.caught} ${other.padEnd(24)} ${formatMs(at - state.startedAt).padStart(9)}  caught ${state.failed} → ${name}`);
      }
      // The loop ends at a state it never passed before.
      if (this.loop.length > 0 && !this.ended.has(name)) this.flushLoop();
      this.running.set(name, { startedAt: at, attempts: 0 });
      if (type === 'FailStateEntered') this.line(`${SYMBOL.failed} ${name}`);
    } else if (type.endsWith('StateExited') && !nested) {
      const name = event.stateExitedEventDetails?.name ?? '?';
      const state = this.running.get(name);
      this.running.delete(name);
      const retries = state && state.attempts > 1 ? ` (${state.attempts - 1} ${state.attempts === 2 ? 'retry' : 'retries'})` : '';
      const times = (this.ended.get(name) ?? 0) + 1;
      this.ended.set(name, times);
      if (times > 1) {
        if (!this.loop.includes(name)) this.loop.push(name);
        return;
      }
      this.line(`${SYMBOL.succeeded} ${name.padEnd(24)} ${formatMs(at - (state?.startedAt ?? at)).padStart(9)}${retries}`);
    } else if ((type === 'TaskScheduled' || type === 'LambdaFunctionScheduled') && !nested) {
      for (const state of this.running.values()) state.attempts += 1;
    } else if ((type === 'TaskFailed' || type === 'LambdaFunctionFailed' || type === 'TaskTimedOut') && !nested) {
      const details = event.taskFailedEventDetails ?? event.lambdaFunctionFailedEventDetails ?? event.taskTimedOutEventDetails;
      const names = [...this.running.keys()];
      const current = this.running.get(names.at(-1) ?? '');
      if (current) current.failed = details?.error ?? 'an error';
      this.line(`  ${SYMBOL.caught} ${names.at(-1) ?? 'task'} raised ${details?.error ?? 'an error'}${details?.cause ? ` — ${roundNumbers(details.cause.slice(0, 160))}` : ''}`);
    }
  }

  private flushLoop(): void {
    const times = Math.max(...this.loop.map((name) => this.ended.get(name) ?? 0));
    const loop = this.loop;
    this.loop = [];
    this.line(`${SYMBOL.loop} ${loop.join(' → ')} ×${times}`);
  }

  private line(text: string): void {
    this.clearStatus();
    this.stream.write(`${text}\n`);
    this.renderStatus();
  }

  private renderStatus(): void {
    if (!this.live || this.running.size === 0) return;
    const now = Date.now();
    const parts = [...this.running.entries()].map(([name, state]) => `${name} ${formatMs(now - state.startedAt)}`);
    this.stream.write(`\r\u001b[2K${SYMBOL.running} running: ${parts.join(', ')}`);
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (this.live && this.statusShown) {
      this.stream.write('\r\u001b[2K');
      this.statusShown = false;
    }
  }
}

export { formatMs };
