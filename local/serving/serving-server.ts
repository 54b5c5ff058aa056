/**
 * The HTTP side of `pricesense serve`, whatever the backend: one server (127.0.0.1 unless told)
 * with SageMaker's container contract (`/ping` 200 only once a model is loaded, `/invocations`),
 * `/predict` (the core the API Lambda runs, scoring in-process) and `/metrics` (Prometheus).
 * Inference records are written behind the response, with backpressure (write-behind-recorder.ts).
 */
import type { PredictDependencies } from '../../tasks/core/predict/predict-basket.js';
import { InProcessScorer } from './in-process-scorer.js';
import { startModelServer, type ModelServer } from './model-server.js';
import { predictRoute } from './predict-route.js';
import type { ServingBackend } from './serving-backend.js';
import { ROUTES, ServingMetrics, type MetricRoute } from './serving-metrics.js';
import { WriteBehindRecorder } from './write-behind-recorder.js';

export interface ServingServerOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 8080 (the SageMaker container port); 0 picks a free port */
  port?: number;
  log(line: string): void;
}

export interface ServingApp {
  url: string;
  port: number;
  server: ModelServer;
  metrics: ServingMetrics;
  /** undefined when the backend has no inference log. */
  recorder: WriteBehindRecorder | undefined;
  close(): Promise<void>;
}

/** A log line at most once per `intervalMs` (the first one at once), so a failing store cannot flood the log. */
function throttled<A extends unknown[]>(log: (line: string) => void, intervalMs: number, line: (...args: A) => string): (...args: A) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (...args: A) => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    log(line(...args));
  };
}

const NO_RECORDS = { record: () => Promise.resolve() };

export async function startServingServer(backend: ServingBackend, options: ServingServerOptions): Promise<ServingApp> {
  const { log } = options;
  const metrics = new ServingMetrics();
  const inferenceLog = backend.inferenceLog;
  // 2,000 queued records (~5 MB) cover a fraction of a second at full load: past that, backpressure.
  const recorder = inferenceLog
    ? new WriteBehindRecorder(inferenceLog.target, {
        maxQueued: 2000,
        writers: 16,
        batch: inferenceLog.batch,
        onError: throttled(log, 10_000, (error: unknown, records: number) => `${records} inference records not written to ${inferenceLog.name}: ${(error as Error).name}: ${(error as Error).message}`),
        onDrop: throttled(log, 10_000, (total: number) => `inference log overloaded: ${total} records dropped so far (the table did not take writes for 5 s; see pricesense_inference_records_dropped_total)`),
      })
    : undefined;
  let server: ModelServer | undefined;
  const deps: PredictDependencies = {
    references: backend.references,
    history: backend.history,
    scorer: new InProcessScorer(() => server?.currentModel(), backend.model.noModelMessage),
    recorder: recorder ?? NO_RECORDS,
    onServerError: (error) => log(`/predict: ${(error as Error).name}: ${(error as Error).message}`),
  };
  const knownRoutes = new Set<string>(ROUTES);
  server = await startModelServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 8080,
    routes: {
      '/predict': predictRoute(deps),
      '/metrics': (_req, res) => {
        const text = metrics.render();
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      },
    },
    onResponse: (path, status, seconds) => metrics.observe((knownRoutes.has(path) ? path : 'other') as MetricRoute, status, seconds),
  });
  const modelServer = server;
  if (recorder) {
    metrics.setExtra(() => {
      const stats = recorder.stats();
      return {
        pricesense_inference_records_written_total: stats.written,
        pricesense_inference_records_failed_total: stats.failed,
        pricesense_inference_records_dropped_total: stats.dropped,
        pricesense_inference_records_queued: stats.queued,
        pricesense_inference_records_waiting: stats.waiting,
        pricesense_inference_records_backpressured_total: stats.backpressured,
      };
    });
  }
  try {
    await backend.model.start((next) => {
      modelServer.swapModel(next);
      metrics.setModelVersion(next.version);
    });
  } catch (error) {
    await modelServer.close();
    throw error;
  }

  return {
    url: modelServer.url,
    port: modelServer.port,
    server: modelServer,
    metrics,
    recorder,
    close: async () => {
      backend.model.stop();
      await modelServer.close();
      if (recorder) {
        await recorder.flush();
        const stats = recorder.stats();
        if (stats.dropped > 0 || stats.failed > 0) log(`inference log: ${stats.written} records written, ${stats.failed} failed, ${stats.dropped} dropped`);
      }
      await backend.close?.();
    },
  };
}
