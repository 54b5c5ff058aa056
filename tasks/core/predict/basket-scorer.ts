/**
 * Where /predict gets class probabilities: on AWS the SageMaker endpoint (InvokeEndpoint, one CSV
 * row), locally in `pricesense serve` the in-process model (local/serving/in-process-scorer.ts).
 * One interface, so the request path above it is the same code on both.
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

export interface Scored {
  /** One probability per class, LA, MM, UM. */
  probabilities: readonly number[];
  modelVersion: string;
}

export interface BasketScorer {
  score(features: Float64Array): Promise<Scored>;
}

/** No model can answer (none deployed, or the endpoint refused): served as 503. */
export class ModelUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ModelUnavailableError';
  }
}

/** One CSV row the way the built-in XGBoost container parses it (shortest round-trip decimals). */
export function featureCsvRow(features: Float64Array): string {
  let row = '';
  for (let i = 0; i < features.length; i++) row += (i === 0 ? '' : ',') + String(features[i]);
  return row;
}

/** Parses the container's answer to one row: CSV `p0,p1,p2` or JSON `{"predictions":[{"score":[...]}]}` / `[[...]]`. */
export function parseScores(body: string, numClass: number): number[] {
  const textBody = body.trim();
  let values: unknown;
  if (textBody.startsWith('{') || textBody.startsWith('[')) {
    const parsed = JSON.parse(textBody) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : (parsed as { predictions?: Array<{ score?: unknown }> }).predictions?.[0]?.score;
    values = Array.isArray(first) ? first : parsed;
  } else {
    values = textBody.split('\n')[0]!.split(',');
  }
  const numbers = Array.isArray(values) ? values.map(Number) : [];
  if (numbers.length !== numClass || numbers.some((p) => !Number.isFinite(p))) {
    throw new ModelUnavailableError(`the model answered ${JSON.stringify(textBody.slice(0, 200))}: expected ${numClass} class probabilities for one row`);
  }
  return numbers;
}

export interface SageMakerScorerOptions {
  endpointName: string;
  /** @default 3 (LA, MM, UM) */
  numClass?: number;
}

/**
 * InvokeEndpoint with one text/csv row. The built-in container reports no model version, so the
 * version is the endpoint and the variant that answered (`<endpoint>/<variant>`), unless the
 * container sets CustomAttributes `model-version=<v>`.
 */
export class SageMakerEndpointScorer implements BasketScorer {
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly client: SageMakerRuntimeClient,
    private readonly options: SageMakerScorerOptions,
  ) {}

  async score(features: Float64Array): Promise<Scored> {
    let output;
    try {
      output = await this.client.send(
        new InvokeEndpointCommand({ EndpointName: this.options.endpointName, ContentType: 'text/csv', Accept: 'text/csv', Body: new TextEncoder().encode(featureCsvRow(features)) }),
      );
    } catch (error) {
      throw new ModelUnavailableError(`endpoint ${this.options.endpointName} did not score the basket: ${(error as Error).name}: ${(error as Error).message}`, error);
    }
    const body = output.Body === undefined ? '' : this.decoder.decode(output.Body);
    const custom = /(?:^|;)\s*model-version=([^;]+)/.exec(output.CustomAttributes ?? '')?.[1];
    return {
      probabilities: parseScores(body, this.options.numClass ?? 3),
      modelVersion: custom ?? `${this.options.endpointName}/${output.InvokedProductionVariant ?? 'AllTraffic'}`,
    };
  }
}
