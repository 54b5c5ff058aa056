/**
 * What every stage of the state machine shares: the variables states assign (JSONata `$name`),
 * the context a stage is built in, the shape of what it returns, and the small helpers several
 * stages use (retries ahead of guard(), catch assignments, gold/artifact URIs, job-name suffixes,
 * least-privilege statements of `.sync` SageMaker jobs).
 */
import { Stack, aws_iam as iam, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PipelineConfig } from '../config.js';
import { literal, jsonata, runPathExpression } from '../jsonata.js';
import { EVALUATION_VARIABLE } from '../metric-gate.js';
import { ErrorName } from '../names.js';
import { catchToFailure, FAILURE_VARIABLE, retryProps, type RetryPolicy } from '../retry-policies.js';
import { artifactPaths, goldPaths } from '../s3-layout.js';
import { TRAINING_VARIABLE } from '../training-result.js';
import type { PipelineDefinitionProps } from '../pipeline-definition.js';

/** Variables assigned along the way (JSONata `$name`). */
export const Variable = {
  Run: 'run',
  DataQueryId: 'dataQualityQueryId',
  DataQuality: 'dataQuality',
  Training: TRAINING_VARIABLE,
  Evaluation: EVALUATION_VARIABLE,
  Model: 'model',
  RolloutTarget: 'rolloutTarget',
  Endpoint: 'endpointState',
  EksRollout: 'eksRollout',
  EksPolls: 'eksPolls',
  /** The model annotations the Deployment had before this run patched it (null on a first rollout). */
  EksPrevious: 'eksPrevious',
  EndpointPolls: 'endpointPolls',
  Failure: FAILURE_VARIABLE,
} as const;

/** What a stage is built from: the construct scope of its states, the caller's resources, and the failure path. */
export interface StageContext {
  scope: Construct;
  props: PipelineDefinitionProps;
  config: PipelineConfig;
  stack: Stack;
  /** `arn:…:sagemaker:<region>:<account>:<resource>` of the stack. */
  sageMakerArn: (resource: string) => string;
  /**
   * NotifyFailure: where every guarded state goes once its retries are spent. Inside a Parallel
   * branch, the branch's Fail state instead.
   */
  notifyFailure: sfn.IChainable;
  /** The variable a guarded state's Catch records the failure in (FAILURE_VARIABLE, or BRANCH_FAILURE_VARIABLE in a branch). */
  failureVariable: string;
}

/**
 * A stage's states: the one the previous stage goes to, the one that goes on to the next stage,
 * and the IAM statements its states written as CustomState need on the state machine role (CDK's
 * own task constructs bring theirs).
 */
export interface StageFragment<End extends sfn.INextable = sfn.INextable> {
  start: sfn.IChainable;
  end: End;
  policyStatements: iam.PolicyStatement[];
}

export function stageContext(scope: Construct, props: PipelineDefinitionProps, notifyFailure: sfn.IChainable): StageContext {
  const stack = Stack.of(scope);
  return {
    scope,
    props,
    config: props.config,
    stack,
    sageMakerArn: (resource: string) => stack.formatArn({ service: 'sagemaker', resource, arnFormat: undefined }),
    notifyFailure,
    failureVariable: FAILURE_VARIABLE,
  };
}

/** Gold keys relative to the run's gold root (`run.goldUri`). */
function goldRelative(select: (paths: ReturnType<typeof goldPaths>) => string): string {
  const paths = goldPaths('r');
  return select(paths).slice(paths.root.length);
}

/** JSONata for a gold object or prefix of this run. */
export const goldUri = (select: (paths: ReturnType<typeof goldPaths>) => string) => `$run.goldUri & ${literal(goldRelative(select))}`;

/** JSONata for an artifacts object or prefix of this run (and of its training job). */
export function artifactUri(props: PipelineDefinitionProps, select: (paths: ReturnType<typeof artifactPaths>) => string, trainingJob = '$run.trainingJobName'): string {
  const artifactsRoot = `'s3://' & ${literal(props.artifactsBucket.bucketName)} & '/'`;
  const expression = runPathExpression((runId) => select(artifactPaths(runId, 'TRAININGJOBPLACEHOLDER')));
  return `${artifactsRoot} & ${expression.replace(/TRAININGJOBPLACEHOLDER/g, `" & ${trainingJob} & "`)}`;
}

/**
 * `-r<n>` on the n-th redrive, empty before: SageMaker never reuses a job name, so a job that failed
 * is created again under a new one (see REDRIVE_SUFFIX_ROOM in job-names.ts).
 */
export const REDRIVE_SUFFIX = `($states.context.Execution.RedriveCount > 0 ? '-r' & $string($states.context.Execution.RedriveCount) : '')`;

/** Adds a retrier ahead of the ones guard() adds (Step Functions uses the first that matches). */
export function withRetry<T extends sfn.TaskStateBase>(state: T, policy: Parameters<typeof retryProps>[0]): T {
  state.addRetry(retryProps(policy));
  return state;
}

/** The `Assign` of a Catch that records the failed state, error and cause in `$failure`. */
export function failureAssign(stateName: string, variable: string = FAILURE_VARIABLE): Record<string, unknown> {
  return catchToFailure(stateName, variable).assign!;
}

/** How SageMaker reports a create of a name that exists, through the optimized and the aws-sdk integrations. */
const ALREADY_EXISTS_ERRORS = ['SageMaker.AmazonSageMakerException', 'SageMaker.SageMakerException', 'SageMaker.ValidationException'];

export interface RedrivenCreateGuard {
  scope: Construct;
  stateName: string;
  /** The Choice that tells "already exists" from other failures. */
  choiceName: string;
  /** SageMaker's word for the resource in "Cannot create already existing <resource> …". */
  resource: 'model' | 'endpoint configuration';
  policy: RetryPolicy;
  notifyFailure: sfn.IChainable;
  /** Where the run goes on when the resource already exists. */
  next: sfn.IChainable;
  /** What the state assigns on success that `next` reads, assigned on that path too. */
  assign?: Record<string, unknown>;
}

/**
 * guard() for a SageMaker create whose name is derived per execution (CreateModel,
 * CreateServingModel, CreateEndpointConfig). A redrive repeats the create when the run died after
 * SageMaker accepted it but before the state recorded it; the existing resource is then this run's
 * own (the name holds the execution name, unique per state machine), so the run goes on to `next`.
 * Any other error goes to the failure path.
 */
export function guardRedrivenCreate(state: sfn.CustomState | sfn.TaskStateBase, guardOptions: RedrivenCreateGuard): void {
  const { scope, stateName, choiceName, resource, policy, notifyFailure, next, assign = {} } = guardOptions;
  state.addRetry(retryProps(policy));
  const alreadyCreated = sfn.Choice.jsonata(scope, choiceName, {
    stateName: choiceName,
    comment: `${stateName} failed: a ${resource} that already exists under this run's name (a redriven create) is this run's own; other errors are reported.`,
  })
    .when(sfn.Condition.jsonata(jsonata(`$contains($string($${FAILURE_VARIABLE}.cause), 'Cannot create already existing ${resource} ')`)), next)
    .otherwise(notifyFailure);
  state.addCatch(alreadyCreated, { errors: ALREADY_EXISTS_ERRORS, assign: { ...failureAssign(stateName), ...assign } });
  state.addCatch(notifyFailure, catchToFailure(stateName));
}

/** The `$failure` a rollout check assigns before going to RolloutFailed. */
export function rolloutFailure(state: string, cause: string): Record<string, unknown> {
  return { [FAILURE_VARIABLE]: { state, error: ErrorName.RolloutFailed, cause: jsonata(cause) } };
}

/** Where a rollout branch goes when it ends. */
export interface RolloutLinks {
  notifyFailure: sfn.IChainable;
  notifySuccess: sfn.IChainable;
  rolloutFailed: sfn.IChainable;
}

/** Least privilege for a `.sync` SageMaker job: the job API on its name prefix and the managed rule Step Functions polls with. */
export function syncJobPolicies(stack: Stack, sageMakerArn: (resource: string) => string, jobResource: string, actions: string[], ruleName: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: [...actions.map((action) => `sagemaker:${action}`), 'sagemaker:AddTags'], resources: [sageMakerArn(jobResource)] }),
    new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: ruleName })],
    }),
  ];
}
