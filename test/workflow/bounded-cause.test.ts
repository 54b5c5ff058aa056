/**
 * Issue 14, case 4: a 2.1 MB cause made NotifyFailure fail with "Message too long", and every
 * SNS failure message embedded the Lambda's stack trace. The cause every Catch keeps is the
 * error message only, cut to MAX_CAUSE_CHARS.
 */
import { describe, expect, it } from 'vitest';
import { evaluateJsonata } from '../../local/asl/data-flow/jsonata.js';
import { runtimeErrorPayload } from '../../local/aws/lambda.js';
import { BOUNDED_CAUSE, MAX_CAUSE_CHARS } from '../../workflow/retry-policies.js';

const keep = (cause: string | undefined) =>
  evaluateJsonata(`{% ${BOUNDED_CAUSE} %}`, { input: {}, context: {}, errorOutput: cause === undefined ? { Error: 'X' } : { Error: 'X', Cause: cause } }, {}, 'Assign.failure.cause');

describe('the cause a Catch keeps for NotifyFailure and PipelineFailed', () => {
  it('keeps the message of a Lambda error and drops its stack trace', async () => {
    const error = new Error('Rejected s3://raw/x.csv: row 1 has 3 fields');
    error.name = 'InvalidRawFile';
    const cause = JSON.stringify(runtimeErrorPayload(error));
    expect({ hadTrace: cause.includes('"trace":["InvalidRawFile'), kept: await keep(cause) }).toEqual({ hadTrace: true, kept: 'Rejected s3://raw/x.csv: row 1 has 3 fields' });
  });

  it('cuts a 2 MiB cause to MAX_CAUSE_CHARS with a marker', async () => {
    const kept = (await keep('x'.repeat(2 * 1024 * 1024))) as string;
    expect({ length: kept.length, marker: kept.endsWith('… (cause cut from 2097152 characters)') }).toEqual({
      length: MAX_CAUSE_CHARS + '… (cause cut from 2097152 characters)'.length,
      marker: true,
    });
  });

  it('cuts a Lambda error whose message is 1 MiB', async () => {
    const kept = (await keep(JSON.stringify(runtimeErrorPayload(new Error('y'.repeat(1024 * 1024)))))) as string;
    expect({ startsWithMessage: kept.startsWith('yyyy'), short: kept.length < MAX_CAUSE_CHARS + 100 }).toEqual({ startsWithMessage: true, short: true });
  });

  it('leaves other JSON causes (Glue, SageMaker) as they are, and an absent cause null', async () => {
    const glue = JSON.stringify({ JobName: 'j', JobRunState: 'FAILED', ErrorMessage: 'boom' });
    expect([await keep(glue), await keep(undefined)]).toEqual([glue, null]);
  });
});
