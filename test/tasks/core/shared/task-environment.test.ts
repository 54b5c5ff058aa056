import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nonEmptyString, parseTaskEnvironment, positiveIntegerString } from '../../../../tasks/core/shared/task-environment.js';

const schema = z.object({ RAW_BUCKET: nonEmptyString, SAMPLE_ROWS: positiveIntegerString });

describe('parseTaskEnvironment', () => {
  it('parses numbers given as strings', () => {
    expect(parseTaskEnvironment(schema, { RAW_BUCKET: 'ps-raw', SAMPLE_ROWS: '1000' })).toEqual({ RAW_BUCKET: 'ps-raw', SAMPLE_ROWS: 1000 });
  });

  it('names every bad variable, its value and the expected form', () => {
    expect(() => parseTaskEnvironment(schema, { SAMPLE_ROWS: 'lots' })).toThrow(
      expect.objectContaining({
        name: 'TaskEnvironmentError',
        message:
          'Invalid function environment: RAW_BUCKET: Invalid input: expected string, received undefined (it is not set); ' +
          'SAMPLE_ROWS: expected a positive integer such as "16" (got "lots")',
      }),
    );
  });
});
