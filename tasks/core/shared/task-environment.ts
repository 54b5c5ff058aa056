/**
 * Reads a task Lambda's environment once, through a zod schema, so a misconfigured function fails
 * on its first invocation with every bad variable named instead of half-way through its work.
 */
import { z } from 'zod';
import { TaskEnvironmentError } from './errors.js';

/** A positive integer given as a decimal string, e.g. `"16"`. */
export const positiveIntegerString = z
  .string()
  .regex(/^\d+$/, 'expected a positive integer such as "16"')
  .transform(Number)
  .refine((value) => Number.isSafeInteger(value) && value > 0, 'expected a positive integer such as "16"');

export const nonEmptyString = z.string().min(1, 'expected a non-empty string');

export function parseTaskEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    const value = env[variable];
    const got = value === undefined ? 'it is not set' : `got ${JSON.stringify(value)}`;
    return `${variable}: ${issue.message} (${got})`;
  });
  return throwEnvironmentError(problems);
}

function throwEnvironmentError(problems: string[]): never {
  throw new TaskEnvironmentError(`Invalid function environment: ${problems.join('; ')}`);
}

/** Parses the environment on first use and keeps it (Lambda environments never change). */
export function lazyTaskEnvironment<Schema extends z.ZodType>(schema: Schema): () => z.infer<Schema> {
  let cached: { value: z.infer<Schema> } | undefined;
  return () => {
    cached ??= { value: parseTaskEnvironment(schema) };
    return cached.value;
  };
}
