/**
 * Service outputs as Step Functions puts them into state output: JSON only. SDK objects carry
 * Dates, byte arrays and streams; Step Functions renders timestamps of SDK integrations as ISO
 * strings and those of optimized integrations (AWS SDK for Java v1) as epoch milliseconds, and
 * blobs (S3 GetObject Body) as text.
 */
import { Readable } from 'node:stream';

export type DateStyle = 'iso' | 'epochMillis';

async function streamText(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

export async function toStatesJson(value: unknown, dates: DateStyle): Promise<unknown> {
  if (value instanceof Date) return dates === 'iso' ? value.toISOString() : value.getTime();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value instanceof Readable) return streamText(value);
  if (Array.isArray(value)) return Promise.all(value.map((item) => toStatesJson(item, dates)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // SDK response metadata is not part of what Step Functions returns for aws-sdk tasks.
      if (key === '$metadata' || item === undefined) continue;
      out[key] = await toStatesJson(item, dates);
    }
    return out;
  }
  return value;
}

/** What the optimized request/response integrations add to the service's own output. */
export function sdkHttpMetadata(requestId: string): Record<string, unknown> {
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: { 'Content-Type': ['application/x-amz-json-1.1'], 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}
