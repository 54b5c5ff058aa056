/** Request checks shared by the SageMaker emulators; every failure names the field and the value. */
import { AwsServiceError } from '../emulator.js';

/** Names of jobs, models, endpoints, configs and package groups. */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

export function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationException', message);
}

export function requireString(input: Record<string, unknown>, field: string, path = field): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw validationError(`1 validation error detected: Value ${JSON.stringify(value ?? null)} at '${path}' failed to satisfy constraint: Member must not be null and must be a non-empty string`);
  }
  return value;
}

export function optionalString(input: Record<string, unknown>, field: string, path = field): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw validationError(`1 validation error detected: Value ${JSON.stringify(value)} at '${path}' failed to satisfy constraint: Member must be a string`);
  }
  return value;
}

export function requireName(input: Record<string, unknown>, field: string): string {
  const value = requireString(input, field);
  if (!SAGEMAKER_NAME_PATTERN.test(value)) {
    throw validationError(
      `1 validation error detected: Value ${JSON.stringify(value)} at '${lowerFirst(field)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`,
    );
  }
  return value;
}

export function requireObject(input: Record<string, unknown>, field: string, path = field): Record<string, unknown> {
  const value = input[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw validationError(`1 validation error detected: Value ${JSON.stringify(value ?? null)} at '${path}' failed to satisfy constraint: Member must not be null and must be an object`);
  }
  return value as Record<string, unknown>;
}

export function optionalObject(input: Record<string, unknown>, field: string, path = field): Record<string, unknown> | undefined {
  if (input[field] === undefined || input[field] === null) return undefined;
  return requireObject(input, field, path);
}

export function optionalNumber(input: Record<string, unknown>, field: string, path = field): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw validationError(`1 validation error detected: Value ${JSON.stringify(value)} at '${path}' failed to satisfy constraint: Member must be a number`);
  }
  return value;
}

export function optionalBoolean(input: Record<string, unknown>, field: string, path = field): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw validationError(`1 validation error detected: Value ${JSON.stringify(value)} at '${path}' failed to satisfy constraint: Member must be a boolean`);
  }
  return value;
}

export function requireArray(input: Record<string, unknown>, field: string, path = field): unknown[] {
  const value = input[field];
  if (!Array.isArray(value) || value.length === 0) {
    throw validationError(`1 validation error detected: Value ${JSON.stringify(value ?? null)} at '${path}' failed to satisfy constraint: Member must be a non-empty list`);
  }
  return value;
}

/** String-to-string maps (HyperParameters, Environment, CustomerMetadataProperties). */
export function optionalStringMap(input: Record<string, unknown>, field: string): Record<string, string> | undefined {
  const value = optionalObject(input, field);
  if (value === undefined) return undefined;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') {
      throw validationError(`${field}.${key} must be a string (SageMaker sends every value as a string), got ${JSON.stringify(entry)}`);
    }
  }
  return value as Record<string, string>;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw validationError(
      `1 validation error detected: Value ${JSON.stringify(value ?? null)} at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

/** Accepts a Date, an ISO string or epoch seconds, as SDK clients and ASL parameters send them. */
export function optionalDate(input: Record<string, unknown>, field: string): Date | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw validationError(`${field} must be a timestamp (Date, ISO 8601 string or epoch seconds), got ${JSON.stringify(value)}`);
  }
  return date;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
