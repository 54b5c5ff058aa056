/**
 * Normalises the two ways an execution starts — the documented console input `{bucket, key}` and
 * the EventBridge S3 "Object Created" event the trigger passes on — into one raw-object reference.
 */
import { z } from 'zod';
import { InvalidExecutionInputError } from './errors.js';

export interface RawObjectReference {
  bucket: string;
  key: string;
  /** From the event; the console input has none (HeadObject supplies it). */
  etag?: string;
  size?: number;
  source: 'console' | 'eventbridge';
}

const consoleInputSchema = z.strictObject({
  bucket: z.string().min(1),
  key: z.string().min(1),
});

const objectCreatedEventSchema = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().optional(),
    }),
  }),
});

const EXPECTED =
  'expected the console input {"bucket": "<raw bucket>", "key": "raw/<file>.csv"} or an EventBridge S3 "Object Created" event (source "aws.s3")';

export function normalizeExecutionInput(input: unknown): RawObjectReference {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidExecutionInputError(`The execution input is ${describe(input)}: ${EXPECTED}`);
  }
  const looksLikeEvent = 'detail-type' in input || 'detail' in input || 'source' in input;
  if (looksLikeEvent) {
    const event = objectCreatedEventSchema.safeParse(input);
    if (!event.success) {
      throw new InvalidExecutionInputError(`The execution input looks like an EventBridge event but ${issues(input, event.error)}: ${EXPECTED}`);
    }
    const { bucket, object } = event.data.detail;
    return {
      bucket: bucket.name,
      key: object.key,
      source: 'eventbridge',
      ...(object.etag !== undefined ? { etag: object.etag } : {}),
      ...(object.size !== undefined ? { size: object.size } : {}),
    };
  }
  const consoleInput = consoleInputSchema.safeParse(input);
  if (!consoleInput.success) {
    throw new InvalidExecutionInputError(`The execution input ${issues(input, consoleInput.error)}: ${EXPECTED}`);
  }
  return { ...consoleInput.data, source: 'console' };
}

function issues(input: object, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `has unexpected field(s) ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
      const path = issue.path.join('.');
      const value = valueAt(input, issue.path);
      if (value === undefined) return `is missing ${path}`;
      return `has ${path} = ${JSON.stringify(value)?.slice(0, 80)} (${issue.message.replace(/^Invalid input: /, '')})`;
    })
    .join('; ');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 80)}`;
}
