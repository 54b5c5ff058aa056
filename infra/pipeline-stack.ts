/**
 * Every AWS resource of pricesense in one stack, wired from the parts that own them: the data key
 * and data-lake buckets, the gold tables and Athena (infra/data-lake), the Glue jobs (infra/etl),
 * the SageMaker role, registry, feature group and rollback alarms (infra/ml-platform), the task
 * Lambdas (infra/task-function.ts), the state machine (infra/state-machine), the S3 → EventBridge
 * trigger (infra/trigger), /predict (infra/predict-api) or its EKS serving (infra/eks), and the
 * optional network, audit and CI parts, drift check and monitoring.
 *
 * The parts build into this stack's own scope, not into child constructs: the logical IDs stay the
 * ones the deployed stack already has (a new ID would replace the buckets, key, tables and feature
 * group), and with them the names the local runner and the tests address resources by.
 */
import { existsSync } from 'node:fs';
import { Stack, type StackProps, type aws_apigateway as apigw, aws_sns as sns, type aws_stepfunctions as sfn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DeployTarget, type PipelineConfig } from '../workflow/config.js';
import { ATHENA_WORKGROUP, CUSTOMER_FEATURE_GROUP, GlueJob, TaskFunction as TaskFunctionName } from '../workflow/resource-names.js';
import { AuditTrail } from './audit/audit-trail.js';
import { CiSmokeRole } from './cicd/ci-smoke-role.js';
import { createDataKey } from './data-lake/data-key.js';
import { createAthenaWorkGroup } from './data-lake/athena-workgroup.js';
import { createGoldTables } from './data-lake/gold-tables.js';
import { createZoneBuckets } from './data-lake/zone-buckets.js';
import { DriftDetection, type TaskFunctionFactory } from './drift/drift-detection.js';
import { EksServingResources } from './eks/eks-serving-resources.js';
import { createGlueJobSecurity } from './etl/glue-job-security.js';
import { createGlueJobs } from './etl/glue-jobs.js';
import { createEndpointRollbackAlarms } from './ml-platform/endpoint-rollback-alarms.js';
import { createMlRegistry } from './ml-platform/ml-registry.js';
import { createSageMakerExecutionRole } from './ml-platform/sagemaker-execution-role.js';
import { createDeployOutputs } from './monitoring/deploy-outputs.js';
import { PipelineMonitoring } from './monitoring/pipeline-monitoring.js';
import { acknowledgeGrantActions, acknowledgeRule } from './nag-acknowledgements.js';
import { PrivateNetwork } from './network/private-network.js';
import { createInferenceLogTable } from './predict-api/inference-log-table.js';
import { createPredictApi, PREDICT_API_NAME } from './predict-api/predict-api.js';
import { createPredictFunction } from './predict-api/predict-function.js';
import { taskEntry } from './project-paths.js';
import { createPipelineStateMachine, STATE_MACHINE_NAME } from './state-machine/pipeline-state-machine.js';
import { createPipelineTaskFunctions } from './state-machine/pipeline-task-functions.js';
import { TaskFunction } from './task-function.js';
import { createRawArrivalTrigger } from './trigger/raw-arrival-trigger.js';

export interface PipelineStackProps extends StackProps {
  config: PipelineConfig;
  /** Region used to pick the XGBoost image (the stack's own Region when concrete). */
  region: string;
  glueScriptsDir: string;
  /** Folder of the task handlers (`<name>.ts`). */
  tasksDir: string;
  /** Bundle Lambda code with esbuild (skipped in tests and local runs). */
  bundle: boolean;
}

export class PipelineStack extends Stack {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;

    // --- data: key, optional private network (infra/network), buckets, Glue, Athena ----------
    const key = createDataKey(this);
    const network = config.network.enabled ? new PrivateNetwork(this, 'Network', { network: config.network, key }) : undefined;
    const buckets = createZoneBuckets(this, key);
    const { raw, gold, artifacts } = buckets;
    const glueJobSecurity = createGlueJobSecurity(this, { buckets, key });
    createGoldTables(this, gold);
    createGlueJobs(this, { ...glueJobSecurity, glue: config.glue, glueScriptsDir: props.glueScriptsDir, ...(network ? { network } : {}) });
    createAthenaWorkGroup(this, { artifactsBucket: artifacts, key });

    // --- SageMaker: role, registry, feature group; notifications; endpoint rollback alarms ---
    const sageMakerRole = createSageMakerExecutionRole(this, { goldBucket: gold, artifactsBucket: artifacts, key, region: props.region, ...(network ? { network } : {}) });
    const { modelPackageGroup } = createMlRegistry(this, { modelPackageGroupName: config.modelPackageGroupName, artifactsBucket: artifacts, key, sageMakerRole });
    const topic = new sns.Topic(this, 'NotificationsTopic', { topicName: 'pricesense-notifications', masterKey: key, enforceSSL: true });
    const rollbackAlarms = createEndpointRollbackAlarms(this, config.endpointName);

    // --- task Lambdas, state machine, S3 arrival trigger ----------------------------------------
    const taskFunction: TaskFunctionFactory = (functionId, name, environment, timeout, memorySize) =>
      new TaskFunction(this, functionId, { key, tasksDir: props.tasksDir, ...(network ? { network } : {}), name, environment, timeout, memorySize });
    const functions = createPipelineTaskFunctions(this, { config, buckets, modelPackageGroup, taskFunction });
    const pipeline = createPipelineStateMachine(this, {
      config,
      region: props.region,
      glueScriptsDir: props.glueScriptsDir,
      functions,
      goldBucket: gold,
      artifactsBucket: artifacts,
      key,
      topic,
      sageMakerRole,
      ...(network ? { network } : {}),
    });
    this.stateMachine = pipeline.stateMachine;
    const trigger = createRawArrivalTrigger(this, { rawBucket: raw, stateMachine: this.stateMachine, key, taskFunction });

    if (config.audit.enabled) {
      new AuditTrail(this, 'Audit', { audit: config.audit, dataBuckets: [raw, gold, artifacts], accessLogsBucket: buckets.accessLogs });
    }
    if (config.cicd.githubRepository !== '') {
      new CiSmokeRole(this, 'CiSmoke', { cicd: config.cicd, rawBucket: raw, key, stateMachineName: STATE_MACHINE_NAME });
    }

    // --- serving: inference log and /predict (API Gateway + Lambda, or EKS) -------------------
    const inferenceTable = createInferenceLogTable(this, key);
    let predictApi: apigw.RestApi | undefined;
    if (config.deployTarget === DeployTarget.Eks) {
      // /predict is served by the pricesense image on EKS behind its ALB Ingress (infra/eks): no API
      // Gateway + Lambda pointing at a SageMaker endpoint this target never deploys.
      new EksServingResources(this, 'EksServing', {
        eks: config.eks,
        key,
        artifactsBucket: artifacts,
        goldBucket: gold,
        inferenceTable,
        featureGroupName: CUSTOMER_FEATURE_GROUP,
        modelPackageGroupName: config.modelPackageGroupName,
      });
    } else if (config.deployTarget === DeployTarget.Endpoint && existsSync(taskEntry(TaskFunctionName.Predict, props.tasksDir))) {
      // deployTarget 'none' deploys nothing, so it gets no /predict that could only fail.
      const predictFunction = createPredictFunction(this, {
        taskFunction,
        inferenceTable,
        inferenceLogSampleRate: config.inferenceLogSampleRate,
        endpointName: config.endpointName,
        goldBucket: gold,
        modelPackageGroupName: config.modelPackageGroupName,
      });
      predictApi = createPredictApi(this, { predictFunction, key });
    }

    // --- operations: drift check, dashboard, alarms, deploy-guide outputs (infra/monitoring, infra/drift)
    const drift = new DriftDetection(this, 'DriftDetection', {
      taskFunction,
      inferenceTable,
      goldBucket: gold,
      artifactsBucket: artifacts,
      modelPackageGroupName: config.modelPackageGroupName,
      topic,
    });
    const monitoring = new PipelineMonitoring(this, 'Monitoring', {
      config,
      stateMachine: this.stateMachine,
      stateMachineLogs: pipeline.logGroup,
      topic,
      triggerDeadLetterQueue: trigger.deadLetterQueue,
      rollbackAlarms,
      ...(predictApi ? { predictApi: { apiName: PREDICT_API_NAME, stage: predictApi.deploymentStage.stageName } } : {}),
      glueJobNames: [GlueJob.RawToSilver, GlueJob.SilverToGold],
      athenaWorkGroup: ATHENA_WORKGROUP,
      extraAlarms: [drift.alarm],
      driftMaxPsi: drift.maxPsiMetric,
    });
    createDeployOutputs(this, { rawBucket: raw, stateMachine: this.stateMachine, topic, dashboard: monitoring.dashboard, inferenceTable, ...(predictApi ? { predictApi } : {}) });

    const notificationsHandler = this.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notificationsHandler) {
      acknowledgeRule(notificationsHandler, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'CDK\'s singleton handler that turns on EventBridge notifications for the raw bucket; log delivery only.');
    }
    // Last, once every grant is made: the wildcard action groups of CDK's grant* methods, on the policies that hold them.
    acknowledgeGrantActions(this);
  }
}
