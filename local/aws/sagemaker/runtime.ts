/**
 * `sagemakerruntime` InvokeEndpoint against the model an endpoint serves, scored in-process with
 * the TypeScript scorer (models cached by archive). Errors are the runtime API's own:
 * ValidationError for an unknown or not-yet-serving endpoint or an oversized payload, ModelError
 * (with OriginalStatusCode and OriginalMessage, as the container's 4xx surfaces) for a payload the
 * model cannot score.
 */
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { RequestValidator, SERVICE_VALIDATION } from '../request-validation.js';
import { createContext, type SageMakerContext, type SageMakerEmulatorOptions } from './context.js';
import { CsvPayloadError, formatCsvPredictions, formatJsonPredictions, parseFeatureRows } from './csv-predictions.js';
import { readEndpointRecord } from './endpoints.js';
import { loadModelFromUri } from './model-cache.js';

const runtime = new RequestValidator(SERVICE_VALIDATION.sagemakerRuntime);

/** SageMaker real-time inference rejects request bodies over 6 MB. */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

export class ModelError extends AwsServiceError {
  readonly OriginalStatusCode: number;
  readonly OriginalMessage: string;

  constructor(originalStatusCode: number, originalMessage: string, endpointName: string) {
    super('ModelError', `Received client error (${originalStatusCode}) from primary with message "${originalMessage}". See CloudWatch logs for endpoint ${endpointName}.`, { httpStatusCode: 424 });
    this.OriginalStatusCode = originalStatusCode;
    this.OriginalMessage = originalMessage;
  }
}

const ACTIONS = ['InvokeEndpoint'] as const;

export class SageMakerRuntimeEmulator implements AwsServiceEmulator {
  readonly service = 'sagemakerruntime';
  readonly actions: readonly string[] = ACTIONS;
  private readonly context: SageMakerContext;

  constructor(options: SageMakerEmulatorOptions) {
    this.context = createContext(options);
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action !== 'InvokeEndpoint') throw unsupportedAction(this.service, action, this.actions);
    return this.invoke(input);
  }

  private async invoke(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = runtime.requiredString(input, 'EndpointName', { expected: 'must be a non-empty string' });
    const body = bodyBytes(input.Body);
    if (body.byteLength > MAX_INVOKE_PAYLOAD_BYTES) {
      throw runtime.error(`Request payload of ${body.byteLength} bytes exceeds the ${MAX_INVOKE_PAYLOAD_BYTES}-byte (6 MB) limit of InvokeEndpoint`);
    }
    const endpoint = readEndpointRecord(this.context.stateDir, name);
    if (endpoint === undefined) throw runtime.error(`Endpoint ${name} of account ${this.context.accountId} not found.`);
    if (endpoint.Live === undefined) {
      throw runtime.error(`Endpoint ${name} is not in service (status ${endpoint.EndpointStatus}); it has no deployed model to invoke`);
    }
    const contentType = typeof input.ContentType === 'string' ? input.ContentType : 'text/csv';
    if (!/^text\/csv\b/i.test(contentType)) {
      throw new ModelError(415, `Content type ${contentType} is not supported by this algorithm; send text/csv rows of features`, name);
    }
    const accept = typeof input.Accept === 'string' && input.Accept !== '' && input.Accept !== '*/*' ? input.Accept : 'text/csv';
    if (!/^(text\/csv|application\/json)\b/i.test(accept)) {
      throw new ModelError(406, `Accept type ${accept} is not supported; use text/csv or application/json`, name);
    }
    const { model } = await loadModelFromUri(this.context.stateDir, endpoint.Live.ModelDataUrl);
    let rows: { values: Float64Array; numRows: number };
    try {
      rows = parseFeatureRows(Buffer.from(body).toString('utf8'), model.numFeatures, 'request body');
    } catch (error) {
      if (error instanceof CsvPayloadError) throw new ModelError(400, error.message, name);
      throw error;
    }
    const probabilities = model.predictProba(rows.values, rows.numRows);
    const json = /^application\/json/i.test(accept);
    const text = json ? formatJsonPredictions(probabilities, model.numClass) : formatCsvPredictions(probabilities, model.numClass);
    return {
      Body: new TextEncoder().encode(text),
      ContentType: json ? 'application/json' : 'text/csv; charset=utf-8',
      InvokedProductionVariant: endpoint.Live.VariantName,
    };
  }
}

function bodyBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  throw runtime.error(`Body must be bytes (Uint8Array) or a string, got ${body === undefined ? 'nothing' : typeof body}`);
}
