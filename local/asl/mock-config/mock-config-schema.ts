import { z } from 'zod';

const nonEmptyName = z.string().min(1, 'expected a non-empty response name');

/** StateMachines → <sm> → TestCases → <case> → <Task state> → <response name> */
export const stateMachinesSchema = z.record(
  z.string(),
  z.strictObject({
    TestCases: z.record(z.string(), z.record(z.string(), nonEmptyName)),
  }),
);

export const throwSchema = z.strictObject({
  Error: z.string().min(1, 'expected a non-empty error name'),
  Cause: z.string().optional(),
});

/** A response entry holds exactly one of Return and Throw; checked by hand for a clear message. */
export const responseEntrySchema = z
  .record(z.string(), z.unknown())
  .superRefine((entry, context) => {
    const keys = Object.keys(entry);
    const unknown = keys.filter((key) => key !== 'Return' && key !== 'Throw');
    if (unknown.length > 0) {
      context.addIssue({ code: 'custom', message: `unknown field ${JSON.stringify(unknown[0])}; expected Return or Throw` });
    } else if (keys.length !== 1) {
      context.addIssue({ code: 'custom', message: 'expected exactly one of Return or Throw' });
    }
  });

export const mockConfigSchema = z.strictObject({
  StateMachines: stateMachinesSchema,
  MockedResponses: z.record(z.string(), z.record(z.string(), responseEntrySchema)),
});
