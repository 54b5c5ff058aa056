/**
 * Request checks of the SageMaker emulators: the shared checks of ../request-validation.ts in
 * SageMaker's form (ValidationException, "1 validation error detected: …"), plus SageMaker's own
 * name pattern, Tags and CustomerMetadataProperties rules.
 */
import type { AwsServiceError } from '../emulator.js';
import { RequestValidator, SERVICE_VALIDATION } from '../request-validation.js';

/** Names of jobs, models, endpoints, configs and package groups. */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const sagemaker = new RequestValidator(SERVICE_VALIDATION.sagemaker);

export function validationError(message: string): AwsServiceError {
  return sagemaker.error(message);
}

export function requireString(input: Record<string, unknown>, field: string, path = field): string {
  return sagemaker.requiredString(input, field, { path });
}

export function optionalString(input: Record<string, unknown>, field: string, path = field): string | undefined {
  return sagemaker.optionalString(input, field, { path });
}

export function requireName(input: Record<string, unknown>, field: string): string {
  const value = requireString(input, field);
  if (!SAGEMAKER_NAME_PATTERN.test(value)) {
    throw sagemaker.invalid(lowerFirst(field), value, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}', 'must be a SageMaker name');
  }
  return value;
}

export function requireObject(input: Record<string, unknown>, field: string, path = field): Record<string, unknown> {
  return sagemaker.requiredObject(input, field, { path });
}

export function optionalObject(input: Record<string, unknown>, field: string, path = field): Record<string, unknown> | undefined {
  return sagemaker.optionalObject(input, field, { path });
}

export function optionalNumber(input: Record<string, unknown>, field: string, path = field): number | undefined {
  return sagemaker.optionalNumber(input, field, { path });
}

export function optionalBoolean(input: Record<string, unknown>, field: string, path = field): boolean | undefined {
  return sagemaker.optionalBoolean(input, field, path);
}

export function requireArray(input: Record<string, unknown>, field: string, path = field): unknown[] {
  return sagemaker.requiredList(input, field, { path });
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
  return sagemaker.oneOf(value, allowed, path);
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

/**
 * Tag keys/values and CustomerMetadataProperties keys/values share one character set
 * (SageMaker API Reference: Tag; CreateModelPackage → CustomerMetadataProperties).
 */
export const SAGEMAKER_METADATA_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const METADATA_PATTERN_TEXT = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';

function lengthAndPattern(value: string, min: number, max: number): string[] {
  const problems: string[] = [];
  const length = [...value].length;
  if (length > max) problems.push(`Member must have length less than or equal to ${max}`);
  if (length < min) problems.push(`Member must have length greater than or equal to ${min}`);
  if (!SAGEMAKER_METADATA_PATTERN.test(value)) problems.push(`Member must satisfy regular expression pattern: ${METADATA_PATTERN_TEXT}`);
  return problems;
}

/**
 * Checks the fields every SageMaker Create* request shares — Tags (at most 50; key 1-128, value
 * 0-256 characters of the metadata set; `aws:` keys reserved) and CustomerMetadataProperties (at
 * most 50 entries; key 1-128, value 1-256 of the same set) — as SageMaker does before anything
 * else, so a bad value fails the call, not a later step.
 */
export function validateSharedFields(input: Record<string, unknown>): void {
  const problems: string[] = [];
  const tags = input.Tags;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) {
      problems.push(`Value ${JSON.stringify(tags)} at 'tags' failed to satisfy constraint: Member must be a list`);
    } else {
      if (tags.length > 50) problems.push(`Value '[…${tags.length} tags]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`);
      tags.forEach((tag, index) => {
        const { Key: key, Value: value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
        const at = `tags.${index + 1}.member`;
        if (typeof key !== 'string') problems.push(`Value null at '${at}.key' failed to satisfy constraint: Member must not be null`);
        else {
          for (const problem of lengthAndPattern(key, 1, 128)) problems.push(`Value '${key}' at '${at}.key' failed to satisfy constraint: ${problem}`);
          if (key.toLowerCase().startsWith('aws:')) problems.push(`Value '${key}' at '${at}.key' failed to satisfy constraint: Tag keys starting with 'aws:' are reserved for AWS use`);
        }
        if (value !== undefined && typeof value !== 'string') problems.push(`Value ${JSON.stringify(value)} at '${at}.value' failed to satisfy constraint: Member must be a string`);
        else if (typeof value === 'string') for (const problem of lengthAndPattern(value, 0, 256)) problems.push(`Value '${value}' at '${at}.value' failed to satisfy constraint: ${problem}`);
      });
    }
  }
  const metadata = input.CustomerMetadataProperties;
  if (metadata !== undefined && metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)) {
    const entries = Object.entries(metadata as Record<string, unknown>);
    if (entries.length > 50) problems.push(`Value '{…${entries.length} entries}' at 'customerMetadataProperties' failed to satisfy constraint: Member must have length less than or equal to 50`);
    const keyProblems = new Set<string>();
    const valueProblems = new Set<string>();
    for (const [key, value] of entries) {
      for (const problem of lengthAndPattern(key, 1, 128)) keyProblems.add(problem);
      if (typeof value !== 'string') valueProblems.add('Member must be a string');
      else for (const problem of lengthAndPattern(value, 1, 256)) valueProblems.add(problem);
    }
    const shown = JSON.stringify(metadata).replaceAll('"', '');
    if (keyProblems.size > 0) problems.push(`Value '${shown}' at 'customerMetadataProperties' failed to satisfy constraint: Map keys must satisfy constraint: [${[...keyProblems].join(', ')}]`);
    if (valueProblems.size > 0) problems.push(`Value '${shown}' at 'customerMetadataProperties' failed to satisfy constraint: Map value must satisfy constraint: [${[...valueProblems].join(', ')}]`);
  }
  if (problems.length > 0) throw sagemaker.errors(problems);
}
