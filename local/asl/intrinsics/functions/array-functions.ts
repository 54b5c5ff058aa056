import {
  arrayArgument,
  expectArgumentCount,
  failure,
  integerArgument,
} from '../arguments.js';
import type { IntrinsicCall } from '../intrinsic-call.js';
import { canonicalJson, jsonEquals } from '../json-equality.js';

/** AWS caps the array States.ArrayRange may produce. */
export const ARRAY_RANGE_MAX_ITEMS = 1000;

export function statesArray(call: IntrinsicCall): unknown[] {
  return [...call.args];
}

export function statesArrayPartition(call: IntrinsicCall): unknown[][] {
  expectArgumentCount(call, 2);
  const array = arrayArgument(call, 0, 'array');
  const chunkSize = integerArgument(call, 1, 'chunk size');
  if (chunkSize < 1) throw failure(call, `argument 2 (chunk size) must be a positive integer, got ${chunkSize}`);
  const chunks: unknown[][] = [];
  for (let start = 0; start < array.length; start += chunkSize) chunks.push(array.slice(start, start + chunkSize));
  return chunks;
}

export function statesArrayContains(call: IntrinsicCall): boolean {
  expectArgumentCount(call, 2);
  const array = arrayArgument(call, 0, 'array');
  const wanted = call.args[1];
  return array.some((item) => jsonEquals(item, wanted));
}

export function statesArrayRange(call: IntrinsicCall): number[] {
  expectArgumentCount(call, 3);
  const start = integerArgument(call, 0, 'start');
  const end = integerArgument(call, 1, 'end');
  const step = integerArgument(call, 2, 'step');
  if (step === 0) throw failure(call, 'argument 3 (step) must be a non-zero integer, got 0');
  const count = (end - start) / step < 0 ? 0 : Math.floor((end - start) / step) + 1;
  if (count > ARRAY_RANGE_MAX_ITEMS) {
    throw failure(call, `the range ${start}..${end} step ${step} has ${count} items; at most ${ARRAY_RANGE_MAX_ITEMS} are allowed`);
  }
  return Array.from({ length: count }, (_, index) => start + index * step);
}

export function statesArrayGetItem(call: IntrinsicCall): unknown {
  expectArgumentCount(call, 2);
  const array = arrayArgument(call, 0, 'array');
  const index = integerArgument(call, 1, 'index');
  if (index < 0 || index >= array.length) {
    throw failure(call, `argument 2 (index) ${index} is out of bounds for an array of length ${array.length}`);
  }
  return array[index];
}

export function statesArrayLength(call: IntrinsicCall): number {
  expectArgumentCount(call, 1);
  return arrayArgument(call, 0, 'array').length;
}

/** Keeps the first occurrence of each value, comparing JSON structurally. */
export function statesArrayUnique(call: IntrinsicCall): unknown[] {
  expectArgumentCount(call, 1);
  const seen = new Set<string>();
  const unique: unknown[] = [];
  for (const item of arrayArgument(call, 0, 'array')) {
    const key = canonicalJson(item);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(item);
  }
  return unique;
}
