/**
 * A keep-alive HTTP load generator on node:http: `concurrency` connections, each sending its next
 * request as soon as the previous answer arrives (closed loop), for a fixed time. Records every
 * latency, so percentiles are exact, and counts non-2xx answers and socket errors as errors.
 */
import { Agent, request } from 'node:http';

export interface LoadOptions {
  url: string;
  /** Request bodies, used round-robin. */
  bodies: readonly Buffer[];
  contentType: string;
  accept?: string;
  concurrency: number;
  durationMs: number;
  /** Called about once a second with requests done so far. */
  onTick?(done: number): void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  firstError?: string;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency });
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const one = (body: Buffer): Promise<void> =>
    new Promise((resolve) => {
      const sent = performance.now();
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { 'Content-Type': options.contentType, 'Content-Length': body.length, ...(options.accept ? { Accept: options.accept } : {}) },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status < 200 || status >= 300) {
              errors += 1;
              firstError ??= `HTTP ${status}`;
            }
            if (count === latencies.length) {
              const grown = new Float64Array(latencies.length * 2);
              grown.set(latencies);
              latencies = grown;
            }
            latencies[count++] = performance.now() - sent;
            resolve();
          });
        },
      );
      req.on('error', (error) => {
        errors += 1;
        firstError ??= error.message;
        resolve();
      });
      req.end(body);
    });

  const worker = async () => {
    while (performance.now() < deadline) {
      const body = options.bodies[next++ % options.bodies.length]!;
      await one(body);
    }
  };
  const ticker = options.onTick ? setInterval(() => options.onTick!(count), 1000) : undefined;
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (ticker) clearInterval(ticker);
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice(0, count).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    requests: count,
    errors,
    statuses,
    seconds,
    requestsPerSecond: count / seconds,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN, mean: sum / Math.max(1, count) },
    ...(firstError !== undefined ? { firstError } : {}),
  };
}
