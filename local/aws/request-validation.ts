/**
 * Request checks for every local emulator: a member's presence, type, length, pattern and enum,
 * failed with AwsServiceError under the service's own error name and in the service's own message
 * form, so a bad request fails here as it fails on AWS.
 *
 * Services answer in one of two forms:
 * - `constraint`: AWS's generated validation text, `1 validation error detected: Value "x" at
 *   'member' failed to satisfy constraint: Member must …` (SageMaker and its Feature Store).
 * - `sentence`: where AWS documents no exact text, one sentence naming the member, what was
 *   expected and the value: `JobName must be a string of 1-255 characters, got null`.
 */
import { AwsServiceError } from './emulator.js';

export type MessageForm = 'constraint' | 'sentence';

export interface ServiceValidation {
  /** The error name the service's SDK surfaces for a bad request. */
  errorName: string;
  form: MessageForm;
}

/** Error name and message form of each emulated service's request validation. */
export const SERVICE_VALIDATION = {
  sagemaker: { errorName: 'ValidationException', form: 'constraint' },
  /** CreateFeatureGroup and friends are SageMaker API calls. */
  featureGroups: { errorName: 'ValidationException', form: 'sentence' },
  /** sagemaker-featurestore-runtime names its error ValidationError. */
  featureStoreRuntime: { errorName: 'ValidationError', form: 'sentence' },
  /** sagemaker-runtime (InvokeEndpoint) names its error ValidationError. */
  sagemakerRuntime: { errorName: 'ValidationError', form: 'sentence' },
  glue: { errorName: 'InvalidInputException', form: 'sentence' },
  dynamodb: { errorName: 'ValidationException', form: 'sentence' },
  applicationAutoScaling: { errorName: 'ValidationException', form: 'sentence' },
} as const satisfies Record<string, ServiceValidation>;

/** One member check. `constraint` is AWS's "Member must …" text; `expected` is the sentence form's. */
export interface MemberRule {
  /** Where the member is, as the message names it. @default the member's name */
  path?: string;
  /** Sentence form: what the member must be, e.g. "must be a string of 1-255 characters". @default from the rule */
  expected?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** The pattern as AWS prints it. @default pattern.source */
  patternText?: string;
}

export interface NumberRule {
  path?: string;
  expected?: string;
  integer?: boolean;
  min?: number;
  max?: number;
}

type Input = Record<string, unknown>;

/** The value as messages show it: a missing member is null, as AWS shows it. */
function shown(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export class RequestValidator {
  constructor(readonly service: ServiceValidation) {}

  /** A bad request in the service's name, with a message of the caller's. */
  error(message: string): AwsServiceError {
    return new AwsServiceError(this.service.errorName, message);
  }

  /** AWS's "N validation errors detected: …" over several problems of one request. */
  errors(problems: string[]): AwsServiceError {
    return this.error(`${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }

  /** One member that failed one check, in the service's form. */
  invalid(path: string, value: unknown, constraint: string, expected: string): AwsServiceError {
    return this.service.form === 'constraint'
      ? this.error(`1 validation error detected: Value ${shown(value)} at '${path}' failed to satisfy constraint: ${constraint}`)
      : this.error(`${path} ${expected}, got ${shown(value)}`);
  }

  requiredString(input: Input, member: string, rule: MemberRule = {}): string {
    const value = input[member];
    const path = rule.path ?? member;
    if (typeof value !== 'string' || value.length === 0) {
      throw this.invalid(path, value, 'Member must not be null and must be a non-empty string', rule.expected ?? 'is required and must be a non-empty string');
    }
    this.checkString(value, path, rule);
    return value;
  }

  optionalString(input: Input, member: string, rule: MemberRule = {}): string | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    const path = rule.path ?? member;
    if (typeof value !== 'string') throw this.invalid(path, value, 'Member must be a string', rule.expected ?? 'must be a string');
    this.checkString(value, path, rule);
    return value;
  }

  private checkString(value: string, path: string, rule: MemberRule): void {
    const length = [...value].length;
    const expected = rule.expected ?? `must be a string of ${rule.minLength ?? 1}-${rule.maxLength ?? '∞'} characters`;
    if (rule.maxLength !== undefined && length > rule.maxLength) {
      throw this.invalid(path, value, `Member must have length less than or equal to ${rule.maxLength}`, expected);
    }
    if (rule.minLength !== undefined && length < rule.minLength) {
      throw this.invalid(path, value, `Member must have length greater than or equal to ${rule.minLength}`, expected);
    }
    if (rule.pattern !== undefined && !rule.pattern.test(value)) {
      const text = rule.patternText ?? rule.pattern.source;
      throw this.invalid(path, value, `Member must satisfy regular expression pattern: ${text}`, rule.expected ?? `must match ${text}`);
    }
  }

  requiredObject(input: Input, member: string, rule: { path?: string; expected?: string } = {}): Record<string, unknown> {
    const value = input[member];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.invalid(rule.path ?? member, value, 'Member must not be null and must be an object', rule.expected ?? 'is required and must be an object');
    }
    return value as Record<string, unknown>;
  }

  optionalObject(input: Input, member: string, rule: { path?: string; expected?: string } = {}): Record<string, unknown> | undefined {
    if (input[member] === undefined || input[member] === null) return undefined;
    return this.requiredObject(input, member, rule);
  }

  optionalNumber(input: Input, member: string, rule: NumberRule = {}): number | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    const path = rule.path ?? member;
    const wanted = rule.integer ? 'a whole number' : 'a number';
    const expected = rule.expected ?? `must be ${wanted}${rule.min !== undefined ? ` of at least ${rule.min}` : ''}${rule.max !== undefined ? ` of at most ${rule.max}` : ''}`;
    if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer === true && !Number.isInteger(value))) {
      throw this.invalid(path, value, `Member must be ${wanted}`, expected);
    }
    if (rule.min !== undefined && value < rule.min) throw this.invalid(path, value, `Member must have value greater than or equal to ${rule.min}`, expected);
    if (rule.max !== undefined && value > rule.max) throw this.invalid(path, value, `Member must have value less than or equal to ${rule.max}`, expected);
    return value;
  }

  optionalBoolean(input: Input, member: string, path = member): boolean | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw this.invalid(path, value, 'Member must be a boolean', 'must be true or false');
    return value;
  }

  /** A list of at least one entry (and at most `maxLength`). */
  requiredList(input: Input, member: string, rule: { path?: string; expected?: string; maxLength?: number } = {}): unknown[] {
    const value = input[member];
    const path = rule.path ?? member;
    const expected = rule.expected ?? `must be a list of 1${rule.maxLength !== undefined ? `-${rule.maxLength}` : ' or more'} entries`;
    if (!Array.isArray(value) || value.length === 0) throw this.invalid(path, value, 'Member must be a non-empty list', expected);
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      throw this.invalid(path, `[…${value.length} entries]`, `Member must have length less than or equal to ${rule.maxLength}`, expected);
    }
    return value;
  }

  /** One of an enum's values. */
  oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw this.invalid(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`, `must be one of ${allowed.join(', ')}`);
    }
    return value as T;
  }
}
