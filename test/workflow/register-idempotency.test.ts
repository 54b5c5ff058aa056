/**
 * Issue 14 case 2 (registration part) and issue 11: CreateModelPackage had no idempotency token,
 * so a retried or redriven RegisterModel could register two versions. The token is derived from
 * the execution ARN, which a redrive keeps.
 */
import { describe, expect, it } from 'vitest';
import { evaluateJsonata } from '../../local/asl/data-flow/jsonata.js';
import { REGISTER_CLIENT_TOKEN } from '../../workflow/pipeline-definition.js';
import { aslForTest } from '../support/synth.js';

const token = (executionArn: string) =>
  evaluateJsonata(`{% ${REGISTER_CLIENT_TOKEN} %}`, { input: {}, context: { Execution: { Id: executionArn } } }, {}, 'Arguments.ClientToken') as Promise<string>;

describe('RegisterModel ClientToken', () => {
  it('is sent with CreateModelPackage', () => {
    const register = aslForTest().States.RegisterModel as { Arguments: Record<string, unknown> };
    expect(register.Arguments.ClientToken).toBe(`{% ${REGISTER_CLIENT_TOKEN} %}`);
  });

  it('is the same for one execution, different for another, and fits SageMaker\'s 1-36 [a-zA-Z0-9-]', async () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:execution:pricesense-pipeline:run-2026-12-06-week-1';
    const [first, again, other] = [await token(arn), await token(arn), await token(`${arn}-b`)];
    expect({ same: first === again, differs: first !== other, valid: /^[a-zA-Z0-9-]{1,36}$/.test(first) }).toEqual({ same: true, differs: true, valid: true });
  });
});
