/**
 * The failure path every guarded state ends in: NotifyFailure tells the operators which state
 * failed, then PipelineFailed ends the run with the original error and cause.
 */
import { aws_sns as sns, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { jsonata, literal } from '../jsonata.js';
import { ErrorName, StateName } from '../names.js';
import { RetryPolicies, retryProps } from '../retry-policies.js';
import { Variable } from './shared.js';

export interface FailurePath {
  notifyFailure: tasks.SnsPublish;
  pipelineFailed: sfn.Fail;
}

export function buildFailurePath(scope: Construct, topic: sns.ITopic): FailurePath {
  const pipelineFailed = sfn.Fail.jsonata(scope, StateName.PipelineFailed, {
    stateName: StateName.PipelineFailed,
    comment: 'Ends a failed run with the original error and cause (NotifyFailure has already been sent).',
    error: jsonata(`$${Variable.Failure}.error ? $${Variable.Failure}.error : ${literal(ErrorName.PipelineFailed)}`),
    cause: jsonata(
      `$${Variable.Failure}.cause ? $${Variable.Failure}.cause : ('State ' & $${Variable.Failure}.state & ' failed with ' & $${Variable.Failure}.error)`,
    ),
  });
  const notifyFailure = tasks.SnsPublish.jsonata(scope, StateName.NotifyFailure, {
    stateName: StateName.NotifyFailure,
    comment: 'Tells the operators which state failed, with the error and cause.',
    topic,
    subject: 'pricesense run failed',
    message: sfn.TaskInput.fromText(
      jsonata(
        `$string({'status': 'FAILED', 'execution': $states.context.Execution.Id, 'runId': $states.context.Execution.Name, 'failedState': $${Variable.Failure}.state, 'error': $${Variable.Failure}.error, 'cause': $${Variable.Failure}.cause})`,
      ),
    ),
  });
  notifyFailure.addRetry(retryProps(RetryPolicies.sns));
  // A failed notification must not hide the original error: go on to PipelineFailed unchanged.
  notifyFailure.addCatch(pipelineFailed, { errors: [sfn.Errors.ALL] });
  notifyFailure.next(pipelineFailed);
  return { notifyFailure, pipelineFailed };
}
