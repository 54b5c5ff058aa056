/**
 * Whole-file gzip check for `.csv.gz` raw objects. ValidateInput samples only the head of a file, and
 * a gzip stream cut short or damaged after the head inflates "as far as it goes": the last line
 * comes out short and the ETL then reports a misleading field count. Inflating the whole stream
 * (output discarded, constant memory) verifies the deflate data, the CRC-32 and the length trailer.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { NOT_GZIP_PROBLEM } from './raw-csv-check.js';

export interface GzipCheck {
  compressedBytes: number;
  inflatedBytes: number;
}

/** The problem sentence when the object is not one complete gzip stream, else its sizes. */
export async function checkGzipObject(s3: S3Client, bucket: string, key: string): Promise<{ problem: string } | GzipCheck> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = response.Body;
  if (!body) return { problem: 'the object has no content: expected a gzip-compressed CSV' };
  const source = body instanceof Readable ? body : Readable.fromWeb(body.transformToWebStream() as never);

  let compressedBytes = 0;
  let inflatedBytes = 0;
  source.on('data', (chunk: Uint8Array) => {
    compressedBytes += chunk.length;
  });
  const discard = new Writable({
    write(chunk: Uint8Array, _encoding, done) {
      inflatedBytes += chunk.length;
      done();
    },
  });
  try {
    await pipeline(source, createGunzip(), discard);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') {
      return {
        problem: `the gzip data ends early (after ${compressedBytes} compressed bytes, ${inflatedBytes} inflated): the upload was cut short; expected a complete gzip-compressed CSV`,
      };
    }
    if (code === 'Z_DATA_ERROR' && inflatedBytes === 0 && (error as Error).message === 'incorrect header check') {
      return { problem: NOT_GZIP_PROBLEM };
    }
    if (typeof code === 'string' && code.startsWith('Z_')) {
      return {
        problem: `the gzip data is corrupt after ${inflatedBytes} inflated bytes (${(error as Error).message}): expected a complete gzip-compressed CSV`,
      };
    }
    throw error;
  }
  return { compressedBytes, inflatedBytes };
}
