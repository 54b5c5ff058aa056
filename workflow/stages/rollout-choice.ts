/**
 * Stage 8, rollout: ChooseRolloutTarget sends a registered model to the endpoint rollout, to the
 * EKS rollout (when the stack has a cluster) or straight to NotifySuccess (deployTarget none,
 * manual approval); a failed rollout goes through RolloutFailed to the failure path.
 */
import { aws_iam as iam, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { DeployTarget } from '../config.js';
import { jsonata, literal } from '../jsonata.js';
import { StateName } from '../names.js';
import { buildEksRollout } from './eks-rollout.js';
import { buildEndpointRollout } from './endpoint-rollout.js';
import { type StageContext, Variable } from './shared.js';

export function buildRolloutStage(context: StageContext, notifySuccess: sfn.IChainable): { start: sfn.Choice; policyStatements: iam.PolicyStatement[] } {
  const { scope, props, notifyFailure } = context;
  const rolloutFailed = sfn.Pass.jsonata(scope, StateName.RolloutFailed, {
    stateName: StateName.RolloutFailed,
    comment: 'The endpoint or EKS rollout failed, was rolled back or did not finish in time.',
  });
  rolloutFailed.next(notifyFailure);
  const links = { notifyFailure, notifySuccess, rolloutFailed };

  const chooseRollout = sfn.Choice.jsonata(scope, StateName.ChooseRolloutTarget, {
    stateName: StateName.ChooseRolloutTarget,
    comment: 'endpoint | eks | none (manual approval never rolls out).',
  });
  const endpointRollout = buildEndpointRollout(context, links);
  chooseRollout.when(sfn.Condition.jsonata(jsonata(`$${Variable.RolloutTarget} = ${literal(DeployTarget.Endpoint)}`)), endpointRollout.start);
  if (props.eksCluster) {
    chooseRollout.when(
      sfn.Condition.jsonata(jsonata(`$${Variable.RolloutTarget} = ${literal(DeployTarget.Eks)}`)),
      buildEksRollout(context, props.eksCluster, links),
    );
  }
  chooseRollout.otherwise(notifySuccess);
  return { start: chooseRollout, policyStatements: endpointRollout.policyStatements };
}
