/**
 * Stage 9, success: NotifySuccess reports the metrics, the registered model version and where it
 * is served, then PipelineSucceeded ends the run.
 */
import { aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { ApprovalMode, DeployTarget } from '../config.js';
import { jsonata, literal } from '../jsonata.js';
import { StateName } from '../names.js';
import { guard, RetryPolicies } from '../retry-policies.js';
import { rolloutTargetOf } from './gate-and-registry.js';
import { type StageContext, Variable } from './shared.js';

export function buildSuccessPath({ scope, props, config, notifyFailure }: StageContext): tasks.SnsPublish {
  const pipelineSucceeded = sfn.Succeed.jsonata(scope, StateName.PipelineSucceeded, { stateName: StateName.PipelineSucceeded });
  const rolloutTarget = rolloutTargetOf(config);
  const approved = config.approvalMode === ApprovalMode.Auto;
  const servedBy =
    rolloutTarget === DeployTarget.Endpoint
      ? `'SageMaker endpoint ' & ${literal(config.endpointName)}`
      : rolloutTarget === DeployTarget.Eks
        ? `'EKS deployment ' & ${literal(`${config.eks.clusterName}/${config.eks.namespace}/${config.eks.deploymentName}`)}`
        : approved
          ? `'not deployed (deployTarget none)'`
          : `'not deployed (pending manual approval)'`;
  const notifySuccess = tasks.SnsPublish.jsonata(scope, StateName.NotifySuccess, {
    stateName: StateName.NotifySuccess,
    comment: 'Reports the metrics, the registered model version and where it is served.',
    topic: props.topic,
    subject: 'pricesense run succeeded',
    message: sfn.TaskInput.fromText(
      jsonata(
        `$string({'status': 'SUCCEEDED', 'execution': $states.context.Execution.Id, 'runId': $run.runId, 'metrics': $${Variable.Evaluation}.metrics, 'modelPackageArn': $${Variable.Model}.packageArn, 'approvalStatus': $${Variable.Model}.approvalStatus, 'servedBy': ${servedBy}})`,
      ),
    ),
    outputs: {
      runId: jsonata('$run.runId'),
      metrics: jsonata(`$${Variable.Evaluation}.metrics`),
      modelPackageArn: jsonata(`$${Variable.Model}.packageArn`),
      servedBy: jsonata(servedBy),
    },
  });
  guard(notifySuccess, StateName.NotifySuccess, RetryPolicies.sns, notifyFailure);
  notifySuccess.next(pipelineSucceeded);
  return notifySuccess;
}
