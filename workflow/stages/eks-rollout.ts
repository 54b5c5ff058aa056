/**
 * Stage 8b, EKS rollout: read the serving Deployment's model annotations, patch them to the new
 * model (pod-template annotations → rolling update), then poll the Deployment status until every
 * replica is updated and available (kubectl rollout status). When the polls run out or the
 * Deployment reports ProgressDeadlineExceeded, the annotations are patched back to the model read
 * first (the controller scales the old ReplicaSet up again, as `kubectl rollout undo` would) and the
 * run fails with RolloutFailed; a first rollout has nothing to go back to and only fails.
 */
import { Duration, aws_eks as eks, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { jsonata, orDefault } from '../jsonata.js';
import { StateName } from '../names.js';
import { FAILURE_VARIABLE, guard, RetryPolicies } from '../retry-policies.js';
import { type RolloutLinks, rolloutFailure, type StageContext, Variable } from './shared.js';

/** Annotation on the pod template the serving manifests read through the downward API. */
export const EKS_MODEL_URI_ANNOTATION = 'pricesense.io/model-data-url';
export const EKS_MODEL_PACKAGE_ANNOTATION = 'pricesense.io/model-package-arn';

export function buildEksRollout({ scope, props }: StageContext, cluster: eks.ICluster, links: RolloutLinks): sfn.IChainable {
  const { eks: eksConfig } = props.config;
  const path = `/apis/apps/v1/namespaces/${eksConfig.namespace}/deployments/${eksConfig.deploymentName}`;
  const annotations = '$states.result.ResponseBody.spec.template.metadata.annotations';
  const readDeployment = tasks.EksCall.jsonata(scope, StateName.ReadEksDeployment, {
    stateName: StateName.ReadEksDeployment,
    comment: 'Reads the model the Deployment serves now, to roll back to if the new one never becomes ready.',
    cluster,
    httpMethod: tasks.HttpMethods.GET,
    httpPath: path,
    assign: {
      [Variable.EksPrevious]: {
        modelDataUrl: jsonata(orDefault(`$lookup(${annotations}, '${EKS_MODEL_URI_ANNOTATION}')`, 'null')),
        packageArn: jsonata(orDefault(`$lookup(${annotations}, '${EKS_MODEL_PACKAGE_ANNOTATION}')`, 'null')),
      },
    },
  });
  guard(readDeployment, StateName.ReadEksDeployment, RetryPolicies.eks, links.notifyFailure);

  // Only pod-template annotations change, so the patch is the same under JSON merge and
  // strategic merge semantics and never replaces the container list.
  const modelAnnotations = (modelDataUrl: string, packageArn: string) =>
    sfn.TaskInput.fromObject({
      spec: { template: { metadata: { annotations: { [EKS_MODEL_URI_ANNOTATION]: jsonata(modelDataUrl), [EKS_MODEL_PACKAGE_ANNOTATION]: jsonata(packageArn) } } } },
    });
  const patchDeployment = tasks.EksCall.jsonata(scope, StateName.PatchEksDeployment, {
    stateName: StateName.PatchEksDeployment,
    comment: `Points ${eksConfig.namespace}/${eksConfig.deploymentName} at the new model (pod-template annotations → rolling update).`,
    cluster,
    httpMethod: tasks.HttpMethods.PATCH,
    httpPath: path,
    requestBody: modelAnnotations(`$${Variable.Training}.modelDataUrl`, `$${Variable.Model}.packageArn`),
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
        // The controller gives up after spec.progressDeadlineSeconds (600 s by default).
        stalled: jsonata("$count($states.result.ResponseBody.status.conditions[type = 'Progressing' and reason = 'ProgressDeadlineExceeded']) > 0"),
      },
    },
  });
  guard(readRollout, StateName.ReadEksRollout, RetryPolicies.eks, links.notifyFailure);

  const previous = `$${Variable.EksPrevious}`;
  const rollBack = tasks.EksCall.jsonata(scope, StateName.RollBackEksDeployment, {
    stateName: StateName.RollBackEksDeployment,
    comment: 'Points the Deployment back at the model it served before this run (the old ReplicaSet scales up again).',
    cluster,
    httpMethod: tasks.HttpMethods.PATCH,
    httpPath: path,
    requestBody: modelAnnotations(`${previous}.modelDataUrl`, `${previous}.packageArn`),
    assign: rolloutFailure(StateName.CheckEksRollout, `$${FAILURE_VARIABLE}.cause & '; rolled back to ' & ${previous}.packageArn`),
  });
  guard(rollBack, StateName.RollBackEksDeployment, RetryPolicies.eks, links.notifyFailure);
  rollBack.next(links.rolloutFailed);
  const canRollBack = sfn.Choice.jsonata(scope, StateName.CanRollBackEks, {
    stateName: StateName.CanRollBackEks,
    // The serving manifests create both annotations empty: a first rollout has no earlier model to go back to.
    comment: 'A first rollout (annotations absent or empty) has no earlier model to go back to.',
  })
    .when(sfn.Condition.jsonata(jsonata(`$exists(${previous}.modelDataUrl) and ${previous}.modelDataUrl != null and ${previous}.modelDataUrl != '' and $exists(${previous}.packageArn) and ${previous}.packageArn != null and ${previous}.packageArn != ''`)), rollBack)
    .otherwise(links.rolloutFailed);

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
    .when(sfn.Condition.jsonata(jsonata(`${r}.stalled or $${Variable.EksPolls} >= ${eksConfig.maxPolls}`)), canRollBack, {
      assign: rolloutFailure(
        StateName.CheckEksRollout,
        `'Deployment ${eksConfig.namespace}/${eksConfig.deploymentName} did not finish rolling out ' & (${r}.stalled ? '(ProgressDeadlineExceeded) ' : '') & 'after ' & $string($${Variable.EksPolls}) & ' polls: ' & $string(${r})`,
      ),
    })
    .otherwise(waitForRollout);

  readDeployment.next(patchDeployment);
  patchDeployment.next(waitForRollout);
  waitForRollout.next(readRollout);
  readRollout.next(checkRollout);
  return readDeployment;
}
