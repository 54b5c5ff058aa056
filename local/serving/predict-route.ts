/**
 * `/predict` on the local server: reads the body with a size limit, runs the shared core
 * (tasks/core/predict/predict-basket.ts) and writes its JSON answer. Every way a request can be
 * wrong ends in a 4xx from here or from the core.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_PREDICT_BODY_BYTES, predictBasket, type PredictDependencies } from '../../tasks/core/predict/predict-basket.js';
import { BodyTooLargeError, readBody } from './model-server/http-body.js';
import type { RouteHandler } from './model-server.js';

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function predictRoute(deps: PredictDependencies): RouteHandler {
  const limit = deps.maxBodyBytes ?? MAX_PREDICT_BODY_BYTES;
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'MethodNotAllowed', message: `${req.method} is not allowed on /predict: expected POST with a JSON basket` }, { Allow: 'POST' });
      return;
    }
    const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      sendJson(res, 415, { error: 'UnsupportedMediaType', message: `Content-Type ${JSON.stringify(req.headers['content-type'])} is not supported: expected application/json` });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, { error: 'PayloadTooLarge', message: `body is larger than ${limit} bytes: send one basket per request` }, { Connection: 'close' });
        res.once('finish', () => req.destroy());
        return;
      }
      throw error;
    }
    const outcome = await predictBasket(deps, body.toString('utf8'));
    sendJson(res, outcome.status, outcome.body, outcome.modelVersion ? { 'X-Model-Version': outcome.modelVersion } : {});
  };
}
