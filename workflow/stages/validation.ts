/**
 * Stage 1, validate input: the validate-input Lambda accepts {bucket, key} or an S3 Object Created
 * event, checks the raw CSV and names the run; its RunContext becomes `$run` for every later state.
 */
import { aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { jsonata } from '../jsonata.js';
import { StateName } from '../names.js';
import { guard, RetryPolicies } from '../retry-policies.js';
import { type StageContext, type StageFragment, Variable } from './shared.js';

export function buildValidationStage({ scope, props, notifyFailure }: StageContext): StageFragment<tasks.LambdaInvoke> {
  const validateInput = tasks.LambdaInvoke.jsonata(scope, StateName.ValidateInput, {
    stateName: StateName.ValidateInput,
    comment: 'Accepts {bucket, key} or an S3 Object Created event, checks the raw CSV and names the run.',
    lambdaFunction: props.functions.validateInput,
    payload: sfn.TaskInput.fromObject({ input: jsonata('$states.input'), executionName: jsonata('$states.context.Execution.Name') }),
    retryOnServiceExceptions: false,
    assign: { [Variable.Run]: jsonata('$states.result.Payload') },
    outputs: jsonata('$states.result.Payload'),
  });
  // InvalidExecutionInput / RawObjectNotFound / InvalidRawFile are not in the retry list.
  guard(validateInput, StateName.ValidateInput, RetryPolicies.lambda, notifyFailure);
  return { start: validateInput, end: validateInput, policyStatements: [] };
}
