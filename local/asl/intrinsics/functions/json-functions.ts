import {
  booleanArgument,
  expectArgumentCount,
  failure,
  objectArgument,
  stringArgument,
} from '../arguments.js';
import type { IntrinsicCall } from '../intrinsic-call.js';

export function statesStringToJson(call: IntrinsicCall): unknown {
  expectArgumentCount(call, 1);
  const text = stringArgument(call, 0, 'JSON string');
  // AWS parses an empty (or blank) string to null rather than failing.
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw failure(call, `argument 1 is not valid JSON (${(error as Error).message}): ${JSON.stringify(text.slice(0, 60))}`);
  }
}

export function statesJsonToString(call: IntrinsicCall): string {
  expectArgumentCount(call, 1);
  return JSON.stringify(call.args[0]) ?? 'null';
}

/**
 * States.JsonMerge(left, right, false): a shallow merge where the right object's keys win.
 * AWS supports only the shallow mode, so `true` is rejected rather than silently ignored.
 */
export function statesJsonMerge(call: IntrinsicCall): Record<string, unknown> {
  expectArgumentCount(call, 3);
  const left = objectArgument(call, 0, 'first object');
  const right = objectArgument(call, 1, 'second object');
  if (booleanArgument(call, 2, 'deep merge')) {
    throw failure(call, 'argument 3 (deep merge) must be false: only shallow merging is supported, as on AWS');
  }
  return { ...left, ...right };
}
