import { IntrinsicFailureError } from './intrinsic-failure-error.js';
import type { IntrinsicCall } from './intrinsic-call.js';

/** Signed 32-bit range that AWS accepts for the Math* intrinsics. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** A short, typed rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let json = JSON.stringify(value) ?? String(value);
  if (json.length > 60) json = `${json.slice(0, 57)}...`;
  return type === 'null' ? 'null' : `${json} (${type})`;
}

export function failure(call: IntrinsicCall, problem: string): IntrinsicFailureError {
  return new IntrinsicFailureError(`${call.name}: ${problem}`);
}

/** Fails unless the call has between `min` and `max` arguments. */
export function expectArgumentCount(call: IntrinsicCall, min: number, max: number = min): void {
  const count = call.args.length;
  if (count >= min && count <= max) return;
  const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  throw failure(call, `expected ${expected} argument${expected === '1' ? '' : 's'}, got ${count}`);
}

function badArgument(call: IntrinsicCall, index: number, label: string, expected: string): IntrinsicFailureError {
  return failure(call, `argument ${index + 1} (${label}) must be ${expected}, got ${describeValue(call.args[index])}`);
}

export function stringArgument(call: IntrinsicCall, index: number, label: string): string {
  const value = call.args[index];
  if (typeof value !== 'string') throw badArgument(call, index, label, 'a string');
  return value;
}

export function arrayArgument(call: IntrinsicCall, index: number, label: string): unknown[] {
  const value = call.args[index];
  if (!Array.isArray(value)) throw badArgument(call, index, label, 'an array');
  return value;
}

export function objectArgument(call: IntrinsicCall, index: number, label: string): Record<string, unknown> {
  const value = call.args[index];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badArgument(call, index, label, 'a JSON object');
  }
  return value as Record<string, unknown>;
}

export function booleanArgument(call: IntrinsicCall, index: number, label: string): boolean {
  const value = call.args[index];
  if (typeof value !== 'boolean') throw badArgument(call, index, label, 'a boolean');
  return value;
}

export function integerArgument(call: IntrinsicCall, index: number, label: string): number {
  const value = call.args[index];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badArgument(call, index, label, 'an integer');
  return value;
}

/** AWS rounds non-integer Math* arguments to the nearest integer and accepts only 32-bit values. */
export function roundedInt32Argument(call: IntrinsicCall, index: number, label: string): number {
  const value = call.args[index];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badArgument(call, index, label, 'a number');
  const rounded = Math.round(value);
  if (rounded < INT32_MIN || rounded > INT32_MAX) {
    throw badArgument(call, index, label, `between ${INT32_MIN} and ${INT32_MAX}`);
  }
  return rounded;
}

/** Strings that AWS caps at 10,000 characters (Hash, Base64Encode, Base64Decode). */
export function limitedStringArgument(call: IntrinsicCall, index: number, label: string, maxLength = 10_000): string {
  const value = stringArgument(call, index, label);
  if (value.length > maxLength) {
    throw failure(call, `argument ${index + 1} (${label}) must be at most ${maxLength} characters, got ${value.length}`);
  }
  return value;
}
