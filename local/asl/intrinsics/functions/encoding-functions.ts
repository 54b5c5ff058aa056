import { createHash } from 'node:crypto';
import { expectArgumentCount, failure, limitedStringArgument, stringArgument } from '../arguments.js';
import type { IntrinsicCall } from '../intrinsic-call.js';

/** AWS algorithm names mapped to Node's digest names. */
export const HASH_ALGORITHMS = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
} as const;
export type HashAlgorithm = keyof typeof HASH_ALGORITHMS;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function statesBase64Encode(call: IntrinsicCall): string {
  expectArgumentCount(call, 1);
  return Buffer.from(limitedStringArgument(call, 0, 'data'), 'utf8').toString('base64');
}

export function statesBase64Decode(call: IntrinsicCall): string {
  expectArgumentCount(call, 1);
  const encoded = limitedStringArgument(call, 0, 'base64 data');
  if (!BASE64.test(encoded)) {
    throw failure(call, `argument 1 (base64 data) is not valid base64: ${JSON.stringify(encoded.slice(0, 60))}`);
  }
  return Buffer.from(encoded, 'base64').toString('utf8');
}

export function statesHash(call: IntrinsicCall): string {
  expectArgumentCount(call, 2);
  const data = limitedStringArgument(call, 0, 'data');
  const algorithm = stringArgument(call, 1, 'algorithm');
  if (!Object.hasOwn(HASH_ALGORITHMS, algorithm)) {
    throw failure(call, `argument 2 (algorithm) must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}, got ${JSON.stringify(algorithm)}`);
  }
  return createHash(HASH_ALGORITHMS[algorithm as HashAlgorithm]).update(data, 'utf8').digest('hex');
}
