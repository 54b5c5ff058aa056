/**
 * Stage 8b, EKS rollout: patch the serving Deployment's pod-template annotations (model data URL
 * and model package ARN → rolling update), then poll the Deployment status until every replica is
 * updated and available (kubectl rollout status) or the polls run out (RolloutFailed).
 */
import { Duration, aws_eks as eks, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { jsonata, orDefault } from '../jsonata.js';
import { StateName } from '../names.js';
import { guard, RetryPolicies } from '../retry-policies.js';
import { type RolloutLinks, rolloutFailure, type StageContext, Variable } from './shared.js';

/** Annotation on the pod template the serving manifests read through the downward API. */
export const EKS_MODEL_URI_ANNOTATION = 'pricesense.io/model-data-url';
export const EKS_MODEL_PACKAGE_ANNOTATION = 'pricesense.io/model-package-arn';

export function buildEksRollout({ scope, props }: StageContext, cluster: eks.ICluster, links: RolloutLinks): sfn.IChainable {
  const { eks: eksConfig } = props.config;
  const path = `/apis/apps/v1/namespaces/${eksConfig.namespace}/deployments/${eksConfig.deploymentName}`;
  // Only pod-template annotations change, so the patch is the same under JSON merge and
  // strategic merge semantics and never replaces the container list.
  const patchDeployment = tasks.EksCall.jsonata(scope, StateName.PatchEksDeployment, {
    stateName: StateName.PatchEksDeployment,
    comment: `Points ${eksConfig.namespace}/${eksConfig.deploymentName} at the new model (pod-template annotations → rolling update).`,
    cluster,
    httpMethod: tasks.HttpMethods.PATCH,
    httpPath: path,
    requestBody: sfn.TaskInput.fromObject({
      spec: {
        template: {
          metadata: {
            annotations: {
              [EKS_MODEL_URI_ANNOTATION]: jsonata(`$${Variable.Training}.modelDataUrl`),
              [EKS_MODEL_PACKAGE_ANNOTATION]: jsonata(`$${Variable.Model}.packageArn`),
            },
          },
        },
      },
    }),
    assign: { [Variable.EksPolls]: 0 },
  });
  guard(patchDeployment, StateName.PatchEksDeployment, RetryPolicies.eks, links.notifyFailure);

  const waitForRollout = sfn.Wait.jsonata(scope, StateName.WaitForEksRollout, {
    stateName: StateName.WaitForEksRollout,
    comment: `Polls every ${eksConfig.pollSeconds} s, at most ${eksConfig.maxPolls} times.`,
    time: sfn.WaitTime.duration(Duration.seconds(eksConfig.pollSeconds)),
    assign: { [Variable.EksPolls]: jsonata(`$${Variable.EksPolls} + 1`) },
  });
  const readRollout = tasks.EksCall.jsonata(scope, StateName.ReadEksRollout, {
    stateName: StateName.ReadEksRollout,
    comment: 'Reads the Deployment status.',
    cluster,
    httpMethod: tasks.HttpMethods.GET,
    httpPath: path,
    // The API server omits status counters while they are 0 and observedGeneration until the
    // controller has seen the Deployment; spec.replicas defaults to 1.
    assign: {
      [Variable.EksRollout]: {
        generation: jsonata(orDefault('$states.result.ResponseBody.metadata.generation', '0')),
        observedGeneration: jsonata(orDefault('$states.result.ResponseBody.status.observedGeneration', '0')),
        desired: jsonata(orDefault('$states.result.ResponseBody.spec.replicas', '1')),
        replicas: jsonata(orDefault('$states.result.ResponseBody.status.replicas', '0')),
        updated: jsonata(orDefault('$states.result.ResponseBody.status.updatedReplicas', '0')),
        available: jsonata(orDefault('$states.result.ResponseBody.status.availableReplicas', '0')),
      },
    },
  });
  guard(readRollout, StateName.ReadEksRollout, RetryPolicies.eks, links.notifyFailure);

  const r = `$${Variable.EksRollout}`;
  const checkRollout = sfn.Choice.jsonata(scope, StateName.CheckEksRollout, {
    stateName: StateName.CheckEksRollout,
    comment: 'Done when every replica is updated and available for the observed generation (kubectl rollout status).',
  })
    .when(
      sfn.Condition.jsonata(
        jsonata(`${r}.observedGeneration >= ${r}.generation and ${r}.updated = ${r}.desired and ${r}.replicas = ${r}.desired and ${r}.available = ${r}.desired`),
      ),
      links.notifySuccess,
    )
    .when(sfn.Condition.jsonata(jsonata(`$${Variable.EksPolls} >= ${eksConfig.maxPolls}`)), links.rolloutFailed, {
      assign: rolloutFailure(
        StateName.CheckEksRollout,
        `'Deployment ${eksConfig.namespace}/${eksConfig.deploymentName} did not finish rolling out after ' & $string($${Variable.EksPolls}) & ' polls: ' & $string(${r})`,
      ),
    })
    .otherwise(waitForRollout);

  patchDeployment.next(waitForRollout);
  waitForRollout.next(readRollout);
  readRollout.next(checkRollout);
  return patchDeployment;
}
