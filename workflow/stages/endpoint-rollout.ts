/**
 * Stage 8a, endpoint rollout: a serving model from the registered package version, a new endpoint
 * config, then create the endpoint (first deployment), update it blue/green (guardrails, auto
 * rollback on the rollback alarms; in place when serverless), or delete and re-create a Failed one;
 * poll until InService on the new config, then autoscaling (instance-backed) and NotifySuccess.
 */
import { Duration, aws_iam as iam, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { buildEndpointScaling, ENDPOINT_VARIANT_NAME } from '../endpoint-scaling.js';
import { MODEL_NAME_PREFIX, SERVING_MODEL_NAME_PREFIX } from '../job-names.js';
import { jsonata, literal, orDefault } from '../jsonata.js';
import { StateName } from '../names.js';
import { FAILURE_VARIABLE, guard, RetryPolicies, retryProps } from '../retry-policies.js';
import { failureAssign, guardRedrivenCreate, type RolloutLinks, rolloutFailure, type StageContext, Variable } from './shared.js';

export function buildEndpointRollout(context: StageContext, links: RolloutLinks): { start: sfn.IChainable; policyStatements: iam.PolicyStatement[] } {
  const { scope, props, config, stack, sageMakerArn } = context;
  const policyStatements: iam.PolicyStatement[] = [];
  const endpointName = config.endpointName;
  const serverless = config.endpoint.serverless;
  const servingModel = servingModelNameExpression();
  const endpointArn = sageMakerArn(`endpoint/${endpointName.toLowerCase()}`);
  const sageMakerCall = (stateName: StateName, action: string, iamAction: string, iamResources: string[], parameters: Record<string, unknown>, comment: string, extra: Partial<tasks.CallAwsServiceJsonataProps> = {}) =>
    tasks.CallAwsService.jsonata(scope, stateName, { stateName, comment, service: 'sagemaker', action, iamAction, iamResources, parameters, ...extra });

  // Lineage: the endpoint serves a model made from the registered package version, so
  // DescribeModel (and the local endpoint) names the registry version it serves.
  const createServingModel = new sfn.CustomState(scope, StateName.CreateServingModel, {
    stateJson: {
      Type: 'Task',
      Comment: 'SageMaker model from the registered model package version (what the endpoint serves).',
      Resource: `arn:${stack.partition}:states:::sagemaker:createModel`,
      Arguments: {
        ModelName: jsonata(servingModel),
        ExecutionRoleArn: props.sageMakerRole.roleArn,
        PrimaryContainer: { ModelPackageName: jsonata(`$${Variable.Model}.packageArn`) },
        // Serverless inference does not support network isolation.
        EnableNetworkIsolation: serverless === undefined,
        // Serverless endpoints cannot be placed in a VPC.
        ...(props.sageMakerVpcConfig && serverless === undefined ? { VpcConfig: props.sageMakerVpcConfig } : {}),
        Tags: [
          { Key: 'pricesense:run-id', Value: jsonata('$run.runId') },
          { Key: 'pricesense:model-package-arn', Value: jsonata(`$${Variable.Model}.packageArn`) },
        ],
      },
      Output: { modelArn: jsonata('$states.result.ModelArn') },
    },
  });
  policyStatements.push(
    new iam.PolicyStatement({ actions: ['sagemaker:CreateModel', 'sagemaker:AddTags'], resources: [sageMakerArn(`model/${SERVING_MODEL_NAME_PREFIX}-*`)] }),
    new iam.PolicyStatement({ actions: ['sagemaker:DescribeModelPackage'], resources: [sageMakerArn(`model-package/${props.modelPackageGroupName}/*`)] }),
  );

  const variant = serverless
    ? {
        VariantName: ENDPOINT_VARIANT_NAME,
        ModelName: jsonata(servingModel),
        ServerlessConfig: { MemorySizeInMB: serverless.memorySizeInMb, MaxConcurrency: serverless.maxConcurrency },
      }
    : {
        VariantName: ENDPOINT_VARIANT_NAME,
        ModelName: jsonata(servingModel),
        InitialInstanceCount: config.endpoint.initialInstanceCount,
        InstanceType: config.endpoint.instanceType,
      };
  const createEndpointConfig = sageMakerCall(
    StateName.CreateEndpointConfig,
    'createEndpointConfig',
    'sagemaker:CreateEndpointConfig',
    [sageMakerArn('endpoint-config/ps-epc-*')],
    {
      EndpointConfigName: jsonata('$run.endpointConfigName'),
      // The key encrypts the ML storage volume of instances; serverless endpoints have none.
      ...(serverless ? {} : { KmsKeyId: props.kmsKey.keyArn }),
      ProductionVariants: [variant],
      Tags: [{ Key: 'pricesense:run-id', Value: jsonata('$run.runId') }],
    },
    serverless
      ? `Endpoint config for the serving model (variant ${ENDPOINT_VARIANT_NAME}, serverless ${serverless.memorySizeInMb} MB, up to ${serverless.maxConcurrency} concurrent).`
      : `Endpoint config for the serving model (variant ${ENDPOINT_VARIANT_NAME}, KMS-encrypted storage).`,
    {
      assign: { [Variable.EndpointPolls]: 0 },
      additionalIamStatements: [
        new iam.PolicyStatement({ actions: ['sagemaker:AddTags'], resources: [sageMakerArn('endpoint-config/ps-epc-*')] }),
        new iam.PolicyStatement({ actions: ['kms:CreateGrant', 'kms:DescribeKey'], resources: [props.kmsKey.keyArn] }),
      ],
    },
  );

  const endpointState = {
    [Variable.Endpoint]: {
      status: jsonata('$states.result.EndpointStatus'),
      // Both optional in DescribeEndpointOutput: FailureReason only after a failure.
      configName: jsonata(orDefault('$states.result.EndpointConfigName')),
      failureReason: jsonata(orDefault('$states.result.FailureReason')),
    },
  };
  const findEndpoint = sageMakerCall(
    StateName.FindEndpoint,
    'describeEndpoint',
    'sagemaker:DescribeEndpoint',
    [endpointArn],
    { EndpointName: endpointName },
    'Does the endpoint exist yet? Not found → CreateEndpoint; Failed → delete and create again; else blue/green UpdateEndpoint.',
    { assign: endpointState },
  );
  const createEndpoint = sageMakerCall(
    StateName.CreateEndpoint,
    'createEndpoint',
    'sagemaker:CreateEndpoint',
    // AWS authorizes CreateEndpoint on the endpoint and on the endpoint config it names (D2).
    [endpointArn, sageMakerArn('endpoint-config/ps-epc-*')],
    { EndpointName: endpointName, EndpointConfigName: jsonata('$run.endpointConfigName') },
    'First deployment: creates the endpoint.',
    {
      // The deletion loop of a Failed endpoint may have counted polls: the creation gets its own.
      assign: { [Variable.EndpointPolls]: 0 },
      additionalIamStatements: [new iam.PolicyStatement({ actions: ['sagemaker:AddTags'], resources: [endpointArn] })],
    },
  );
  // CreateEndpoint reads the new config eventually consistently: a not-found right after
  // CreateEndpointConfig heals, so the generic SageMaker error is retried here (bounded).
  createEndpoint.addRetry(retryProps({ ...RetryPolicies.sageMaker, errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.ResourceNotFound', ...RetryPolicies.sageMaker.errors] }));

  const updateEndpoint = sageMakerCall(
    StateName.UpdateEndpoint,
    'updateEndpoint',
    'sagemaker:UpdateEndpoint',
    [endpointArn, sageMakerArn('endpoint-config/ps-epc-*')],
    {
      EndpointName: endpointName,
      EndpointConfigName: jsonata('$run.endpointConfigName'),
      // Deployment guardrails exist for instance-backed endpoints only; a serverless endpoint is
      // updated in place.
      ...(config.endpoint.serverless
        ? {}
        : {
            DeploymentConfig: {
              BlueGreenUpdatePolicy: {
                TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 },
                TerminationWaitInSeconds: config.endpoint.terminationWaitMinutes * 60,
              },
              AutoRollbackConfiguration: { Alarms: props.rollbackAlarmNames.map((name) => ({ AlarmName: name })) },
            },
          }),
    },
    config.endpoint.serverless
      ? 'Serverless endpoint: updated in place to the new config.'
      : 'Blue/green update, all at once, rolled back automatically when a rollback alarm fires.',
  );
  guard(updateEndpoint, StateName.UpdateEndpoint, RetryPolicies.sageMaker, links.notifyFailure);
  updateEndpoint.addRetry(retryProps(RetryPolicies.sageMakerSdkGeneric));

  findEndpoint.addRetry(retryProps(RetryPolicies.sageMakerLookup));
  // A missing endpoint is a ValidationException ("Could not find endpoint ..."), which SDK
  // integrations may surface under a generic exception name; only that message means "create it":
  // throttling or access denied under the same names must not send the run to CreateEndpoint.
  const isEndpointMissing = sfn.Choice.jsonata(scope, StateName.IsEndpointMissing, {
    stateName: StateName.IsEndpointMissing,
    comment: 'FindEndpoint failed: create the endpoint only if it does not exist, otherwise report the error.',
  });
  isEndpointMissing.when(sfn.Condition.jsonata(jsonata(`$contains($string($${FAILURE_VARIABLE}.cause), 'Could not find endpoint')`)), createEndpoint).otherwise(links.notifyFailure);
  findEndpoint.addCatch(isEndpointMissing, {
    errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.SageMakerException', 'SageMaker.ValidationException', 'SageMaker.ResourceNotFound'],
    assign: failureAssign(StateName.FindEndpoint),
  });
  findEndpoint.addCatch(links.notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.FindEndpoint) });

  // A Failed endpoint cannot be updated (nor brought back): SageMaker's remedy is to delete it and
  // create it again. A run killed during CreateEndpoint (or a create that failed) leaves one, and
  // without this branch every later run would register a version and then fail at UpdateEndpoint.
  const missingEndpointErrors = ['SageMaker.AmazonSageMakerException', 'SageMaker.SageMakerException', 'SageMaker.ValidationException', 'SageMaker.ResourceNotFound'];
  const deleteFailedEndpoint = sageMakerCall(
    StateName.DeleteFailedEndpoint,
    'deleteEndpoint',
    'sagemaker:DeleteEndpoint',
    [endpointArn],
    { EndpointName: endpointName },
    'The endpoint is Failed and cannot be updated: delete it, wait until it is gone, then create it again.',
    { assign: { [Variable.EndpointPolls]: 0 } },
  );
  deleteFailedEndpoint.addRetry(retryProps(RetryPolicies.sageMakerLookup));
  // Gone already (a redriven deletion): create it.
  deleteFailedEndpoint.addCatch(isEndpointMissing, { errors: missingEndpointErrors, assign: failureAssign(StateName.DeleteFailedEndpoint) });
  deleteFailedEndpoint.addCatch(links.notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.DeleteFailedEndpoint) });
  const waitForEndpointDeletion = sfn.Wait.jsonata(scope, StateName.WaitForEndpointDeletion, {
    stateName: StateName.WaitForEndpointDeletion,
    comment: `Polls every ${config.endpoint.pollSeconds} s, at most ${config.endpoint.maxPolls} times, until the endpoint is gone.`,
    time: sfn.WaitTime.duration(Duration.seconds(config.endpoint.pollSeconds)),
    assign: { [Variable.EndpointPolls]: jsonata(`$${Variable.EndpointPolls} + 1`) },
  });
  const describeDeletingEndpoint = sageMakerCall(
    StateName.DescribeDeletingEndpoint,
    'describeEndpoint',
    'sagemaker:DescribeEndpoint',
    [endpointArn],
    { EndpointName: endpointName },
    'Is the endpoint gone? "Could not find endpoint" → CreateEndpoint.',
    { assign: endpointState },
  );
  describeDeletingEndpoint.addRetry(retryProps(RetryPolicies.sageMakerLookup));
  describeDeletingEndpoint.addCatch(isEndpointMissing, { errors: missingEndpointErrors, assign: failureAssign(StateName.DescribeDeletingEndpoint) });
  describeDeletingEndpoint.addCatch(links.notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.DescribeDeletingEndpoint) });
  const checkEndpointDeleted = sfn.Choice.jsonata(scope, StateName.CheckEndpointDeleted, {
    stateName: StateName.CheckEndpointDeleted,
    comment: 'Still Deleting → wait; anything else, or too many polls → RolloutFailed.',
  })
    .when(
      sfn.Condition.jsonata(jsonata(`$${Variable.Endpoint}.status != 'Deleting' or $${Variable.EndpointPolls} >= ${config.endpoint.maxPolls}`)),
      links.rolloutFailed,
      {
        assign: rolloutFailure(
          StateName.CheckEndpointDeleted,
          `'Endpoint ${endpointName} was Failed and is being deleted, but is ' & $${Variable.Endpoint}.status & ' after ' & $string($${Variable.EndpointPolls}) & ' polls'`,
        ),
      },
    )
    .otherwise(waitForEndpointDeletion);
  const isEndpointFailed = sfn.Choice.jsonata(scope, StateName.IsEndpointFailed, {
    stateName: StateName.IsEndpointFailed,
    comment: 'A Failed endpoint cannot be updated: delete it and create it again; otherwise update it blue/green.',
  })
    .when(sfn.Condition.jsonata(jsonata(`$${Variable.Endpoint}.status = 'Failed'`)), deleteFailedEndpoint)
    .otherwise(updateEndpoint);
  deleteFailedEndpoint.next(waitForEndpointDeletion);
  waitForEndpointDeletion.next(describeDeletingEndpoint);
  describeDeletingEndpoint.next(checkEndpointDeleted);

  const waitForEndpoint = sfn.Wait.jsonata(scope, StateName.WaitForEndpoint, {
    stateName: StateName.WaitForEndpoint,
    comment: `Polls every ${config.endpoint.pollSeconds} s, at most ${config.endpoint.maxPolls} times.`,
    time: sfn.WaitTime.duration(Duration.seconds(config.endpoint.pollSeconds)),
    assign: { [Variable.EndpointPolls]: jsonata(`$${Variable.EndpointPolls} + 1`) },
  });
  // A redrive re-runs CreateEndpoint when the run died after SageMaker accepted the call but
  // before the state recorded it: the endpoint exists (Creating or InService on this run's
  // config), so wait for it as after a create; CheckEndpointStatus reports any other config.
  const isEndpointAlreadyCreated = sfn.Choice.jsonata(scope, StateName.IsEndpointAlreadyCreated, {
    stateName: StateName.IsEndpointAlreadyCreated,
    comment: 'CreateEndpoint failed: an endpoint that already exists (a redriven create) is polled like a new one; other errors are reported.',
  });
  isEndpointAlreadyCreated
    .when(sfn.Condition.jsonata(jsonata(`$contains($string($${FAILURE_VARIABLE}.cause), 'Cannot create already existing endpoint')`)), waitForEndpoint)
    .otherwise(links.notifyFailure);
  createEndpoint.addCatch(isEndpointAlreadyCreated, {
    errors: missingEndpointErrors,
    assign: { ...failureAssign(StateName.CreateEndpoint), [Variable.EndpointPolls]: 0 },
  });
  createEndpoint.addCatch(links.notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.CreateEndpoint) });

  const describeEndpoint = sageMakerCall(
    StateName.DescribeEndpoint,
    'describeEndpoint',
    'sagemaker:DescribeEndpoint',
    [endpointArn],
    { EndpointName: endpointName },
    'Reads the endpoint status and the config it serves.',
    { assign: endpointState },
  );
  guard(describeEndpoint, StateName.DescribeEndpoint, RetryPolicies.sageMakerLookup, links.notifyFailure);

  // Instance-backed endpoints get autoscaling once InService; SageMaker scales serverless ones itself.
  let inService: sfn.IChainable = links.notifySuccess;
  if (!serverless) {
    const scaling = buildEndpointScaling(scope, { endpointName, endpoint: config.endpoint, notifyFailure: links.notifyFailure });
    scaling.end.next(links.notifySuccess);
    policyStatements.push(...scaling.policyStatements);
    inService = scaling.start;
  }

  const isNewConfig = `$${Variable.Endpoint}.configName = $run.endpointConfigName`;
  const checkEndpointStatus = sfn.Choice.jsonata(scope, StateName.CheckEndpointStatus, {
    stateName: StateName.CheckEndpointStatus,
    comment: 'InService on the new config → success; Failed, rolled back or too many polls → RolloutFailed; else wait.',
  })
    .when(sfn.Condition.jsonata(jsonata(`$${Variable.Endpoint}.status = 'InService' and ${isNewConfig}`)), inService)
    .when(
      sfn.Condition.jsonata(
        jsonata(
          `$${Variable.Endpoint}.status in ['Failed', 'UpdateRollbackFailed'] or ($${Variable.Endpoint}.status = 'InService' and $not(${isNewConfig})) or $${Variable.EndpointPolls} >= ${config.endpoint.maxPolls}`,
        ),
      ),
      links.rolloutFailed,
      {
        assign: rolloutFailure(
          StateName.CheckEndpointStatus,
          `'Endpoint ${endpointName} is ' & $${Variable.Endpoint}.status & ' serving ' & $${Variable.Endpoint}.configName & ' (expected ' & $run.endpointConfigName & ') after ' & $string($${Variable.EndpointPolls}) & ' polls' & ($${Variable.Endpoint}.failureReason ? ': ' & $${Variable.Endpoint}.failureReason : '')`,
        ),
      },
    )
    .otherwise(waitForEndpoint);

  createEndpoint.next(waitForEndpoint);
  updateEndpoint.next(waitForEndpoint);
  waitForEndpoint.next(describeEndpoint);
  describeEndpoint.next(checkEndpointStatus);
  findEndpoint.next(isEndpointFailed);
  guardRedrivenCreate(createEndpointConfig, {
    scope,
    stateName: StateName.CreateEndpointConfig,
    choiceName: StateName.IsEndpointConfigAlreadyCreated,
    resource: 'endpoint configuration',
    policy: RetryPolicies.sageMaker,
    notifyFailure: links.notifyFailure,
    next: findEndpoint,
    assign: { [Variable.EndpointPolls]: 0 },
  });
  createEndpointConfig.addRetry(retryProps(RetryPolicies.sageMakerSdkGeneric));
  guardRedrivenCreate(createServingModel, {
    scope,
    stateName: StateName.CreateServingModel,
    choiceName: StateName.IsServingModelAlreadyCreated,
    resource: 'model',
    policy: RetryPolicies.sageMaker,
    notifyFailure: links.notifyFailure,
    next: createEndpointConfig,
  });
  createServingModel.addRetry(retryProps(RetryPolicies.sageMakerGeneric));
  createEndpointConfig.next(findEndpoint);
  createServingModel.next(createEndpointConfig);
  return { start: createServingModel, policyStatements };
}

/**
 * The serving model's name: the run's model name with its prefix swapped (equal length), i.e.
 * `servingModelName(executionName)` of workflow/job-names.ts, within SageMaker's 63 characters.
 */
export function servingModelNameExpression(modelNameExpression = '$run.modelName'): string {
  return `${literal(`${SERVING_MODEL_NAME_PREFIX}-`)} & $substring(${modelNameExpression}, ${MODEL_NAME_PREFIX.length + 1})`;
}
