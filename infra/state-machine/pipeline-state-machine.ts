/**
 * The pricesense state machine: the definition of workflow/pipeline-definition.ts, its
 * KMS-encrypted execution-data log group, X-Ray tracing, customer-key encryption, and its role's
 * grants (the definition's statements, the rollback alarms, gold, the data key, the EKS access
 * entry of the eks rollout), with the cdk-nag acknowledgements of its wildcards.
 *
 * Created in the stack's own scope (not a child construct): the state machine's logical ID is the
 * one the deployed stack, the local runner and the tests address it by.
 */
import { ArnFormat, Duration, RemovalPolicy, type Stack, type CfnResource, aws_eks as eks, aws_iam as iam, type aws_kms as kms, aws_logs as logs, type aws_s3 as s3, type aws_sns as sns, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { DeployTarget, type PipelineConfig } from '../../workflow/config.js';
import { dataQualityExecutionParameters } from '../../workflow/data-quality-parameters.js';
import { SERVING_MODEL_NAME_PREFIX } from '../../workflow/job-names.js';
import { buildPipelineDefinition } from '../../workflow/pipeline-definition.js';
import { ATHENA_WORKGROUP, CUSTOMER_FEATURE_GROUP, GLUE_DATABASE, GlueJob } from '../../workflow/resource-names.js';
import { ATHENA_RESULTS_PREFIX } from '../../workflow/s3-layout.js';
import { xgboostImageUri } from '../../workflow/xgboost-image.js';
import { readDataQualitySql, singleLineSql } from '../data-quality-query.js';
import { ROLLBACK_ALARM_NAMES } from '../ml-platform/endpoint-rollback-alarms.js';
import { acknowledgeFindings, arnFinding, bucketObjects, functionVersions } from '../nag-acknowledgements.js';
import type { PrivateNetwork } from '../network/private-network.js';
import type { PipelineTaskFunctions } from './pipeline-task-functions.js';
import { restrictLogDeliveryToAccount } from './log-delivery-key-policy.js';

export const STATE_MACHINE_NAME = 'pricesense-pipeline';

export interface PipelineStateMachineProps {
  config: PipelineConfig;
  /** Region used to pick the XGBoost image. */
  region: string;
  /** Folder of sql/data_quality.sql. */
  glueScriptsDir: string;
  functions: PipelineTaskFunctions;
  goldBucket: s3.IBucket;
  artifactsBucket: s3.IBucket;
  key: kms.Key;
  topic: sns.ITopic;
  sageMakerRole: iam.IRole;
  network?: PrivateNetwork;
}

export interface PipelineStateMachine {
  stateMachine: sfn.StateMachine;
  logGroup: logs.LogGroup;
}

export function createPipelineStateMachine(stack: Stack, props: PipelineStateMachineProps): PipelineStateMachine {
  const { config, key, network, functions } = props;
  const { goldBucket: gold, artifactsBucket: artifacts } = props;
  const eksCluster =
    config.eks.clusterName !== ''
      ? eks.Cluster.fromClusterAttributes(stack, 'ServingCluster', {
          clusterName: config.eks.clusterName,
          clusterEndpoint: config.eks.endpoint,
          clusterCertificateAuthorityData: config.eks.certificateAuthorityData,
        })
      : undefined;
  const definition = buildPipelineDefinition(stack, {
    config,
    functions,
    goldBucket: gold,
    artifactsBucket: artifacts,
    glueJobNames: { rawToSilver: GlueJob.RawToSilver, silverToGold: GlueJob.SilverToGold },
    dataQualitySql: singleLineSql(readDataQualitySql(props.glueScriptsDir)),
    dataQualityExecutionParameters: (runId) => dataQualityExecutionParameters(runId, config.dataQuality),
    athenaWorkGroup: ATHENA_WORKGROUP,
    athenaDatabase: GLUE_DATABASE,
    topic: props.topic,
    featureGroupName: CUSTOMER_FEATURE_GROUP,
    modelPackageGroupName: config.modelPackageGroupName,
    sageMakerRole: props.sageMakerRole,
    xgboostImageUri: xgboostImageUri(props.region),
    kmsKey: key,
    rollbackAlarmNames: Object.values(ROLLBACK_ALARM_NAMES),
    ...(eksCluster ? { eksCluster } : {}),
    ...(network ? { sageMakerVpcConfig: network.sageMakerVpcConfig } : {}),
  });
  const logGroup = new logs.LogGroup(stack, 'StateMachineLogs', {
    logGroupName: `/aws/vendedlogs/states/${STATE_MACHINE_NAME}`,
    retention: logs.RetentionDays.THREE_MONTHS,
    encryptionKey: key,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const stateMachine = new sfn.StateMachine(stack, 'PipelineStateMachine', {
    stateMachineName: STATE_MACHINE_NAME,
    stateMachineType: sfn.StateMachineType.STANDARD,
    queryLanguage: sfn.QueryLanguage.JSONATA,
    definitionBody: definition.definitionBody,
    comment: 'pricesense: raw CSV → Glue → data quality → feature store → XGBoost → gate → registry → rollout',
    timeout: Duration.hours(12),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(key, Duration.minutes(5)),
  });
  for (const statement of definition.policyStatements) stateMachine.addToRolePolicy(statement);
  restrictLogDeliveryToAccount(key, stack.account, stack.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
  if (eksCluster && config.deployTarget === DeployTarget.Eks) {
    // eks:call authenticates as the state machine's role: the cluster must know it. An access
    // entry (EKS access-entry API; the cluster's authentication mode must allow API entries)
    // grants edit rights in the serving namespace only.
    new eks.CfnAccessEntry(stack, 'ServingClusterAccess', {
      clusterName: config.eks.clusterName,
      principalArn: stateMachine.role.roleArn,
      type: 'STANDARD',
      accessPolicies: [
        {
          policyArn: `arn:${stack.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy`,
          accessScope: { type: 'namespace', namespaces: [config.eks.namespace] },
        },
      ],
    });
  }
  if (config.deployTarget === DeployTarget.Endpoint) {
    // UpdateEndpoint with auto-rollback checks the rollback alarms with the caller's permissions.
    stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: Object.values(ROLLBACK_ALARM_NAMES).map((alarmName) =>
          stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: alarmName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        ),
      }),
    );
  }
  // Distributed Map children are executions of this same state machine: CDK's DistributedMap
  // grants StartExecution on the state machine ARN (`…:stateMachine:NAME`, colon form) and
  // Describe/Stop/RedriveExecution on its `…:execution:NAME:*` ARNs (DistributedMapPolicy).
  // Lists the run's customer_features/ for the Distributed Map; Athena reads the gold baskets with the caller's credentials.
  gold.grantRead(stateMachine, 'gold/*');
  key.grantEncryptDecrypt(stateMachine);
  const smLogicalId = stack.getLogicalId(stateMachine.node.defaultChild as CfnResource);
  const executions = `arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${smLogicalId}"}]}]}`;
  acknowledgeFindings(stateMachine, {
    'Resource::*': 'X-Ray and CloudWatch Logs delivery APIs, which have no resource-level permissions',
    [bucketObjects(gold, 'gold/')]: 'the Distributed Map lists the run\'s customer_features/ and Athena reads the run\'s baskets under gold/',
    [bucketObjects(artifacts, ATHENA_RESULTS_PREFIX)]: 'Athena writes and reads query results under the workgroup\'s result prefix',
    [functionVersions(functions.validateInput)]: 'CDK LambdaInvoke grants the function and its versions',
    [functionVersions(functions.ingestFeatures)]: 'CDK LambdaInvoke grants the function and its versions',
    [functionVersions(functions.evaluateModel)]: 'CDK LambdaInvoke grants the function and its versions',
    [arnFinding(stack, 'sagemaker', 'training-job/ps-train-*')]: 'training job names are derived per execution with the ps-train- prefix',
    ...(config.training.tuning.enabled
      ? {
          [arnFinding(stack, 'sagemaker', 'hyper-parameter-tuning-job/ps-tune-*')]: 'tuning job names (training.tuning) are derived per execution with the ps-tune- prefix',
          [arnFinding(stack, 'sagemaker', 'training-job/ps-tune-*')]: 'the trials of a tuning job are named <tuning job>-<NNN>-<hex> by SageMaker',
        }
      : {}),
    [bucketObjects(artifacts, 'experiments/')]: 'RecordExperiment writes the run\'s experiment record under experiments/run_id=<runId>/',
    [arnFinding(stack, 'sagemaker', 'model/ps-model-*')]: 'model names are derived per execution with the ps-model- prefix',
    [arnFinding(stack, 'sagemaker', `model/${SERVING_MODEL_NAME_PREFIX}-*`)]: 'serving model names (from the registered package) are derived per execution with the ps-serve- prefix',
    [arnFinding(stack, 'sagemaker', 'transform-job/ps-score-*')]: 'transform job names are derived per execution with the ps-score- prefix',
    [arnFinding(stack, 'sagemaker', 'endpoint-config/ps-epc-*')]: 'endpoint config names are derived per execution with the ps-epc- prefix',
    [arnFinding(stack, 'sagemaker', `model-package/${config.modelPackageGroupName}/*`)]: 'versions of the one model package group',
    [arnFinding(stack, 'glue', `table/${GLUE_DATABASE}/*`)]: 'Athena reads the tables of the pricesense database',
    [`Resource::${executions}:*`]: 'Distributed Map child executions of this state machine',
    [`Resource::${executions}/*:*`]: 'Distributed Map child executions of this state machine',
  });

  if (!config.endpoint.serverless) {
    // The endpoint branch of instance-backed endpoints has the autoscaling step (serverless ones scale themselves).
    acknowledgeFindings(stateMachine, {
      [arnFinding(stack, 'application-autoscaling', 'scalable-target/*')]:
        'scalable-target ARNs carry a generated id; the statement is limited to the sagemaker namespace and variant instance count by condition keys',
      [arnFinding(stack, 'cloudwatch', `alarm:TargetTracking-endpoint/${config.endpointName}/variant/AllTraffic-*`)]:
        'the alarms target tracking creates for this endpoint variant (AlarmHigh/AlarmLow with a generated suffix)',
    });
  }
  return { stateMachine, logGroup };
}
