/**
 * `.sync` integrations that Step Functions completes from EventBridge events need a managed rule
 * the state machine's role creates: events:PutTargets, events:PutRule and events:DescribeRule on
 * `rule/StepFunctionsGetEventsFor<Service>Rule` ("IAM policies for integrated services"). AWS checks
 * this when the state machine is created or updated, not when it runs: CreateStateMachine fails
 * with "'<role arn>' is not authorized to create managed-rule. (Service: AWSStepFunctions; Status
 * Code: 400; Error Code: AccessDeniedException; …)". Locally that is a failure to open the pipeline.
 */
import { randomUUID } from 'node:crypto';
import type { IamRequest } from './call-requests.js';

const MANAGED_RULES: Record<string, string> = {
  'sagemaker:createTrainingJob.sync': 'StepFunctionsGetEventsForSageMakerTrainingJobsRule',
  'sagemaker:createTransformJob.sync': 'StepFunctionsGetEventsForSageMakerTransformJobsRule',
  'sagemaker:createHyperParameterTuningJob.sync': 'StepFunctionsGetEventsForSageMakerTuningJobsRule',
  'sagemaker:createProcessingJob.sync': 'StepFunctionsGetEventsForSageMakerProcessingJobsRule',
  'ecs:runTask.sync': 'StepFunctionsGetEventsForECSTaskRule',
  'batch:submitJob.sync': 'StepFunctionsGetEventsForBatchJobsRule',
  'states:startExecution.sync': 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
  'states:startExecution.sync:2': 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
  'codebuild:startBuild.sync': 'StepFunctionsGetEventsForCodeBuildStartBuildRule',
};

export class ManagedRuleDeniedError extends Error {
  constructor(roleArn: string) {
    super(
      `CreateStateMachine would fail on AWS: '${roleArn}' is not authorized to create managed-rule. ` +
        `(Service: AWSStepFunctions; Status Code: 400; Error Code: AccessDeniedException; Request ID: ${randomUUID()}; Proxy: null)`,
    );
    this.name = 'AccessDeniedException';
  }
}

/** Task resources anywhere in the definition (Parallel branches, Map processors included). */
function taskResources(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) taskResources(item, out);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.Type === 'Task' && typeof record.Resource === 'string') out.add(record.Resource);
    for (const item of Object.values(record)) taskResources(item, out);
  }
  return out;
}

/** What creating the state machine asks of its role for the managed rules its `.sync` tasks need. */
export function managedRuleRequests(definition: unknown, ruleArn: (name: string) => string): IamRequest[] {
  const requests: IamRequest[] = [];
  for (const resource of taskResources(definition)) {
    const integration = /^arn:aws[a-z-]*:states:::(.+)$/.exec(resource)?.[1];
    const rule = integration === undefined ? undefined : MANAGED_RULES[integration];
    if (!rule) continue;
    for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) requests.push({ action, resource: ruleArn(rule) });
  }
  return requests;
}
