/**
 * /predict, independent of transport: JSON body in, status and JSON body out. The API Gateway
 * handler (tasks/predict.ts) and `pricesense serve` (local/serving/predict-route.ts) both call it,
 * so validation, features, scoring and recording are one code path.
 *
 * Status codes: 200 scored; 400 malformed JSON or a bad field (the message names it); 413 body
 * too large; 503 no model or customer history available. A 500 only ever means a bug.
 */
import { randomUUID } from 'node:crypto';
import { LABELS } from '../../../workflow/dataset-schema.js';
import { basketFeatures, namedFeatures } from './basket-features.js';
import { InvalidBasketRequestError, parseBasketRequest } from './basket-request.js';
import { ModelUnavailableError, type BasketScorer } from './basket-scorer.js';
import { CustomerRecordError, type CustomerHistory, type CustomerHistorySource } from './customer-history.js';
import type { InferenceRecorder } from './inference-log.js';
import { ReferencePricesUnavailableError, type ReferencePriceSource } from './reference-prices.js';

/** API Gateway and Lambda allow far more; no basket needs more than this. */
export const MAX_PREDICT_BODY_BYTES = 256 * 1024;

export interface PredictResponseBody {
  basketId: string;
  label: (typeof LABELS)[number];
  probabilities: Record<(typeof LABELS)[number], number>;
  modelVersion: string;
  inferenceId: string;
}

export interface PredictErrorBody {
  error: 'InvalidRequest' | 'PayloadTooLarge' | 'ServiceUnavailable' | 'InternalError';
  message: string;
  /** One sentence per bad field (InvalidRequest only). */
  problems?: readonly string[];
}

export interface PredictOutcome {
  status: number;
  body: PredictResponseBody | PredictErrorBody;
  latencyMs: number;
  modelVersion?: string;
}

export interface PredictDependencies {
  history: CustomerHistorySource;
  scorer: BasketScorer;
  /** Reference prices of the served model (its gold run), for the relative-price features. */
  references: ReferencePriceSource;
  recorder: InferenceRecorder;
  /** Called when recording fails: the caller still gets its prediction. */
  onRecordError?: (error: unknown, inferenceId: string) => void;
  /** Called for a 5xx with the error behind it. */
  onServerError?: (error: unknown) => void;
  /** @default MAX_PREDICT_BODY_BYTES */
  maxBodyBytes?: number;
  newId?: () => string;
  now?: () => number;
}

function failure(status: number, error: PredictErrorBody['error'], message: string, started: number, now: () => number, problems?: readonly string[]): PredictOutcome {
  return { status, body: { error, message, ...(problems ? { problems } : {}) }, latencyMs: now() - started };
}

/** The label of the largest probability; ties go to the lower class index, as argmax does. */
function argmax(probabilities: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  return best;
}

/** A basket is 3 levels deep (body, items, line); anything far deeper cannot be a basket. */
export const MAX_JSON_DEPTH = 8;

/**
 * The deepest nesting of `[` and `{` outside strings, counting stops just above `limit`: one pass,
 * no recursion, so a body of 10,000 brackets costs a scan, not a stack overflow later (describing
 * a bad value with JSON.stringify recursed once per level).
 */
export function jsonNestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i += 1;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return deepest;
}

export async function predictBasket(deps: PredictDependencies, body: string | undefined | null): Promise<PredictOutcome> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const limit = deps.maxBodyBytes ?? MAX_PREDICT_BODY_BYTES;
  if (body === undefined || body === null || body.trim() === '') {
    return failure(400, 'InvalidRequest', 'body is empty: expected a JSON object (one basket)', started, now);
  }
  // Strings are at most 3 bytes per UTF-16 unit: only measure when it could be over.
  if (body.length * 3 > limit && Buffer.byteLength(body) > limit) {
    return failure(413, 'PayloadTooLarge', `body is ${Buffer.byteLength(body)} bytes, at most ${limit} are accepted (one basket per request)`, started, now);
  }
  const depth = jsonNestingDepth(body, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) {
    return failure(400, 'InvalidRequest', `body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep: expected one basket object whose items list holds flat line objects`, started, now);
  }
  try {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      return failure(400, 'InvalidRequest', `body is not valid JSON: ${(error as Error).message}`, started, now);
    }
    const basket = parseBasketRequest(json);
    let history: CustomerHistory | undefined;
    if (basket.customerId !== null) {
      try {
        history = await deps.history.get(basket.customerId);
      } catch (error) {
        deps.onServerError?.(error);
        const reason = error instanceof CustomerRecordError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
        return failure(503, 'ServiceUnavailable', `customer history is unavailable: ${reason}`, started, now);
      }
    }
    const features = basketFeatures(basket, history, await deps.references.get());
    const scored = await deps.scorer.score(features);
    const best = argmax(scored.probabilities);
    const probabilities = { LA: scored.probabilities[0]!, MM: scored.probabilities[1]!, UM: scored.probabilities[2]! };
    const inferenceId = (deps.newId ?? randomUUID)();
    const label = LABELS[best]!;
    const latencyMs = now() - started;
    try {
      await deps.recorder.record({
        inferenceId,
        basketId: basket.basketId,
        modelVersion: scored.modelVersion,
        features: namedFeatures(features),
        probabilities,
        label,
        timestamp: new Date().toISOString(),
        customerId: basket.customerId,
        latencyMs,
      });
    } catch (error) {
      deps.onRecordError?.(error, inferenceId);
    }
    return {
      status: 200,
      body: { basketId: basket.basketId, label, probabilities, modelVersion: scored.modelVersion, inferenceId },
      latencyMs: now() - started,
      modelVersion: scored.modelVersion,
    };
  } catch (error) {
    if (error instanceof InvalidBasketRequestError) return failure(error.status, 'InvalidRequest', error.message, started, now, error.problems);
    deps.onServerError?.(error);
    if (error instanceof ModelUnavailableError || error instanceof ReferencePricesUnavailableError) return failure(503, 'ServiceUnavailable', error.message, started, now);
    return failure(500, 'InternalError', `internal error: ${(error as Error).message}`, started, now);
  }
}
