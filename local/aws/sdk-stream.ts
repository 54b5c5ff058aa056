/**
 * Streaming bodies shaped like the AWS SDK v3's `SdkStream` on Node: a Readable that also has
 * `transformToString`, `transformToByteArray` and `transformToWebStream`, so handler code written
 * for `GetObjectCommand` output works unchanged against the local S3.
 */
import { Readable } from 'node:stream';

export interface SdkStreamLike extends Readable {
  transformToByteArray(): Promise<Uint8Array>;
  transformToString(encoding?: BufferEncoding): Promise<string>;
  transformToWebStream(): ReadableStream<Uint8Array>;
}

export function toSdkStream(readable: Readable): SdkStreamLike {
  let consumed = false;
  const claim = (): void => {
    // Same rule as the SDK: a body can be read once.
    if (consumed) throw new Error('The body stream has already been consumed; read it once and keep the result');
    consumed = true;
  };
  const collect = async (): Promise<Buffer> => {
    claim();
    const chunks: Buffer[] = [];
    for await (const chunk of readable) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  };
  return Object.assign(readable, {
    transformToByteArray: async () => new Uint8Array(await collect()),
    transformToString: async (encoding: BufferEncoding = 'utf8') => (await collect()).toString(encoding),
    transformToWebStream: () => {
      claim();
      return Readable.toWeb(readable) as ReadableStream<Uint8Array>;
    },
  });
}

/** Reads any body an SDK caller may pass (string, bytes, Node stream, web stream, Blob) into bytes. */
export async function bodyToBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  if (typeof (body as ReadableStream).getReader === 'function') {
    return bodyToBytes(Readable.fromWeb(body as import('node:stream/web').ReadableStream));
  }
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<unknown>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
    }
    return Buffer.concat(chunks);
  }
  throw new TypeError(`Unsupported request Body of type ${Object.prototype.toString.call(body)}; expected string, Uint8Array, Buffer, Blob or a stream`);
}
