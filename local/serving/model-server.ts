/**
 * The local model endpoint: SageMaker's inference-container contract (`GET /ping`,
 * `POST /invocations`) on a real node:http server, scoring with the TypeScript XGBoost scorer.
 *
 * Swapping the model is one reference assignment; each request reads the reference once, after its
 * body has arrived, and scores synchronously, so a rollout never fails or mixes models within an
 * in-flight request. Every bad request gets a 4xx naming the problem; a 5xx would mean a bug.
 * More routes (`/predict`, `/metrics`) join the same server through `routes` or `addRoute`.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';

import { FeatureCsvError, parseFeatureCsv } from '../xgboost/csv-features.js';
import type { XgboostModel } from '../xgboost/model.js';
import { BodyTooLargeError, readBody } from './model-server/http-body.js';
import { encodeCsvPredictions, encodeJsonPredictions } from './model-server/prediction-encoding.js';

export { encodeCsvPredictions, encodeJsonPredictions, parseCsvPredictions, pythonFloatRepr } from './model-server/prediction-encoding.js';

export interface ServedModel {
  model: XgboostModel;
  version: string;
}

/** A route handler; a returned promise is awaited so its rejection becomes a 500, not a crash. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface ModelServerOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 - an ephemeral port */
  port?: number;
  /** @default - none: /ping answers 503 until swapModel() */
  model?: ServedModel;
  /** Extra routes by exact path, e.g. { '/predict': handler }. */
  routes?: Record<string, RouteHandler>;
  /** @default 6291456 - SageMaker's 6 MB invocation payload limit */
  maxBodyBytes?: number;
  /** Batch-transform output (one CSV line per row), as the container does with SAGEMAKER_BATCH set. @default false */
  batchOutput?: boolean;
  /** Called once per answered request (for metrics), with the path, status and seconds taken. @default - none */
  onResponse?: (path: string, status: number, seconds: number) => void;
}

export interface ModelServer {
  url: string;
  port: number;
  swapModel(next: ServedModel): void;
  currentVersion(): string | undefined;
  currentModel(): ServedModel | undefined;
  addRoute(path: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

export const MAX_INVOCATION_BYTES = 6 * 1024 * 1024;
export const MODEL_VERSION_HEADER = 'X-Model-Version';

const CSV = 'text/csv';
const JSON_TYPE = 'application/json';

/** Thrown inside the handler to answer with a 4xx and a message naming the problem. */
class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The response type for an Accept header; the container answers text/csv when none is asked for. */
function negotiate(accept: string | undefined): typeof CSV | typeof JSON_TYPE {
  if (!accept || accept.trim() === '') return CSV;
  for (const range of accept.split(',')) {
    const type = mediaType(range);
    if (type === CSV || type === 'text/*' || type === '*/*') return CSV;
    if (type === JSON_TYPE || type === 'application/*') return JSON_TYPE;
  }
  throw new RequestError(406, `Accept ${JSON.stringify(accept)} is not supported: expected text/csv or application/json`);
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  let served = options.model;
  const routes = new Map<string, RouteHandler>(Object.entries(options.routes ?? {}));
  const maxBodyBytes = options.maxBodyBytes ?? MAX_INVOCATION_BYTES;

  const ping = (res: ServerResponse): void => {
    const current = served;
    if (!current) {
      send(res, 503, 'no model loaded\n', {});
      return;
    }
    send(res, 200, '', { [MODEL_VERSION_HEADER]: current.version });
  };

  const invocations = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') throw new RequestError(405, `${req.method} is not allowed on /invocations: expected POST`, { Allow: 'POST' });
    // the container reads a request without Content-Type as text/csv (serve_utils.get_content_type)
    const contentType = mediaType(req.headers['content-type']) || CSV;
    if (contentType !== CSV) {
      throw new RequestError(415, `Content-Type ${JSON.stringify(req.headers['content-type'])} is not supported: expected text/csv (one row of features per line, no header)`);
    }
    const accept = negotiate(req.headers.accept);
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new RequestError(413, `${error.message}: send fewer rows per request`, { Connection: 'close' });
      throw error;
    }
    // the container answers an empty body with 204; a 400 tells the caller what went wrong
    if (body.length === 0) throw new RequestError(400, 'empty request body: expected text/csv rows of features');
    const current = served;
    if (!current) throw new RequestError(503, 'no model loaded: the endpoint has no model deployed yet');
    let rows: { values: Float64Array; numRows: number };
    try {
      rows = parseFeatureCsv(body.toString('utf8'), current.model.numFeatures);
    } catch (error) {
      if (error instanceof FeatureCsvError) throw new RequestError(400, error.message);
      throw error;
    }
    const probabilities = current.model.predictProba(rows.values, rows.numRows);
    const numClass = current.model.numClass;
    const text = accept === CSV ? encodeCsvPredictions(probabilities, numClass, { batch: options.batchOutput ?? false }) : encodeJsonPredictions(probabilities, numClass);
    res.writeHead(200, { 'Content-Type': accept, 'Content-Length': Buffer.byteLength(text), [MODEL_VERSION_HEADER]: current.version });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    const onResponse = options.onResponse;
    if (onResponse) {
      const started = performance.now();
      res.once('finish', () => onResponse(path, res.statusCode, (performance.now() - started) / 1000));
    }
    try {
      if (path === '/ping') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new RequestError(405, `${req.method} is not allowed on /ping: expected GET`, { Allow: 'GET' });
        ping(res);
        return;
      }
      if (path === '/invocations') {
        await invocations(req, res);
        return;
      }
      if (path === '/execution-parameters') {
        // what batch transform asks the container before sending work (serve.py execution_parameters)
        const body = JSON.stringify({ MaxConcurrentTransforms: availableParallelism(), BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: Math.floor(maxBodyBytes / (1024 * 1024)) });
        send(res, 200, body, { 'Content-Type': JSON_TYPE });
        return;
      }
      const route = routes.get(path);
      if (route) {
        await route(req, res);
        return;
      }
      throw new RequestError(404, `no route ${JSON.stringify(path)}: expected one of ${['/ping', '/invocations', '/execution-parameters', ...routes.keys()].join(', ')}`);
    } catch (error) {
      if (error instanceof RequestError) {
        send(res, error.status, `${error.message}\n`, { ...error.headers, ...(served ? { [MODEL_VERSION_HEADER]: served.version } : {}) });
        if (error.headers['Connection'] === 'close') res.on('finish', () => req.destroy());
        return;
      }
      // a route that failed after starting its response cannot be answered again: end the connection
      if (res.headersSent) res.destroy();
      else send(res, 500, `internal error: ${(error as Error).message}\n`, {});
    }
  };

  const server = createServer((req, res) => {
    req.on('error', () => res.destroy());
    void handle(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    swapModel(next) {
      served = next;
    },
    currentVersion: () => served?.version,
    currentModel: () => served,
    addRoute(path, handler) {
      if (path === '/ping' || path === '/invocations' || path === '/execution-parameters') throw new Error(`route ${path} is the SageMaker container contract and cannot be replaced`);
      routes.set(path, handler);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
