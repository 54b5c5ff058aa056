/**
 * Every AWS resource of pricesense in one stack: the data lake (KMS, zone buckets), the Glue
 * catalog and jobs, Athena, the feature group, SageMaker role and registry, the task Lambdas,
 * the state machine, the S3 → EventBridge trigger, notifications and the /predict API.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
  type CfnResource,
  aws_apigateway as apigw,
  aws_cloudwatch as cloudwatch,
  aws_dynamodb as dynamodb,
  aws_eks as eks,
  aws_events as events,
  aws_events_targets as targets,
  aws_glue as glue,
  aws_athena as athena,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
  aws_s3 as s3,
  aws_s3_assets as assets,
  aws_sagemaker as sagemaker,
  aws_sns as sns,
  aws_sqs as sqs,
  aws_stepfunctions as sfn,
  aws_xray as xray,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DeployTarget, type PipelineConfig } from '../workflow/config.js';
import { CUSTOMER_EVENT_TIME, CUSTOMER_FEATURES, CUSTOMER_RECORD_ID } from '../workflow/features.js';
import { GOLD_BASKET_COLUMNS, SILVER_STATS_COLUMNS } from '../workflow/gold-baskets-schema.js';
import { REFERENCE_PRICES_FILE } from '../workflow/gold-features.js';
import { SERVING_MODEL_NAME_PREFIX } from '../workflow/job-names.js';
import { buildPipelineDefinition } from '../workflow/pipeline-definition.js';
import { ATHENA_WORKGROUP, CUSTOMER_FEATURE_GROUP, GLUE_DATABASE, GOLD_BASKETS_TABLE, SILVER_STATS_TABLE, GlueJob, GlueJobArgument, TaskFunction } from '../workflow/resource-names.js';
import { ATHENA_RESULTS_PREFIX, RAW_PREFIX } from '../workflow/s3-layout.js';
import { METRICS_NAMESPACE, TaskEnv } from '../workflow/task-environment.js';
import { xgboostImageUri } from '../workflow/xgboost-image.js';
import { readDataQualitySql, singleLineSql } from './data-quality-query.js';
import { dataQualityExecutionParameters } from '../workflow/data-quality-parameters.js';
import { REPO_ROOT, taskEntry } from './project-paths.js';
import { MAX_BASKET_ITEMS } from '../tasks/core/predict/basket-request.js';
import { acknowledgeFindings, acknowledgeGrantActions, acknowledgeRule, arnFinding, bucketObjects, functionVersions } from './nag-acknowledgements.js';
import { DriftDetection } from './drift/drift-detection.js';
import { createDeployOutputs } from './monitoring/deploy-outputs.js';
import { PipelineMonitoring } from './monitoring/pipeline-monitoring.js';
import { CiSmokeRole } from './cicd/ci-smoke-role.js';
import { AuditTrail } from './audit/audit-trail.js';
import { GLUE_CONNECTION_NAME, PrivateNetwork } from './network/private-network.js';
import { EksServingResources } from './eks/eks-serving-resources.js';

/** The /predict API stage (X-Ray names the API's traces `<api>/<stage>`). */
const PREDICT_API_STAGE = 'prod';

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

export const STATE_MACHINE_NAME = 'pricesense-pipeline';
/** Offline-store prefix of the feature group in the artifacts bucket. */
const FEATURE_STORE_PREFIX = 'feature-store/';
/** The Glue database SageMaker creates offline-store tables in. */
const FEATURE_STORE_GLUE_DATABASE = 'sagemaker_featurestore';
/** Artifacts prefixes SageMaker writes (workflow/s3-layout.ts artifactPaths, the offline store). */
const SAGEMAKER_WRITE_PREFIXES = ['training/', 'checkpoints/', 'transform/', FEATURE_STORE_PREFIX] as const;
export const ROLLBACK_ALARM_NAMES = { endpoint5xx: 'pricesense-endpoint-5xx', endpointP95Latency: 'pricesense-endpoint-p95-latency' } as const;

export class PipelineStack extends Stack {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;

    // --- encryption and buckets ------------------------------------------------------------
    const key = new kms.Key(this, 'DataKey', {
      alias: 'alias/pricesense-data',
      description: 'pricesense: buckets, logs, queue, topic, feature store, SageMaker volumes and outputs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Services that write encrypted data on our behalf need the key in its policy.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        // Log group ARNs use colons (log-group:<name>); the slash form would never match.
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    // Optional VPC with endpoints for the task Lambdas, SageMaker and Glue (infra/network).
    const network = config.network.enabled ? new PrivateNetwork(this, 'Network', { network: config.network, key }) : undefined;

    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      // Server access logs can only be delivered to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const zoneBucket = (id: string, zone: string, lifecycleRules: s3.LifecycleRule[], extra: Partial<s3.BucketProps> = {}) =>
      new s3.Bucket(this, id, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: key,
        bucketKeyEnabled: true,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        versioned: true,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${zone}/`,
        lifecycleRules,
        removalPolicy: RemovalPolicy.RETAIN,
        ...extra,
      });
    const tiering = (afterDays: number): s3.Transition => ({ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(afterDays) });
    const raw = zoneBucket('RawBucket', 'raw', [
      { id: 'raw-tiering', transitions: [tiering(0)], noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ], { eventBridgeEnabled: true });
    const silver = zoneBucket('SilverBucket', 'silver', [
      // Silver is rebuilt from raw by any rerun: keep it three months.
      { id: 'silver-expiry', expiration: Duration.days(90), noncurrentVersionExpiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ]);
    const gold = zoneBucket('GoldBucket', 'gold', [
      { id: 'gold-tiering', transitions: [tiering(30)], noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ]);
    const artifacts = zoneBucket('ArtifactsBucket', 'artifacts', [
      { id: 'artifacts-tiering', transitions: [tiering(30)], noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) },
      { id: 'checkpoints-expiry', prefix: 'checkpoints/', expiration: Duration.days(14) },
      { id: 'athena-results-expiry', prefix: ATHENA_RESULTS_PREFIX, expiration: Duration.days(30) },
    ]);

    // --- Glue catalog, jobs, Athena ----------------------------------------------------------
    const glueRole = new iam.Role(this, 'GlueJobRole', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: 'pricesense Glue jobs: read raw/silver, write silver/gold, logs',
    });
    raw.grantRead(glueRole);
    silver.grantReadWrite(glueRole);
    gold.grantReadWrite(glueRole);
    key.grantEncryptDecrypt(glueRole);
    glueRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [
          this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/*:log-stream:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        ],
      }),
    );
    glueRole.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } } }));
    acknowledgeFindings(glueRole, {
      'Resource::*': 'cloudwatch:PutMetricData has no resource-level permissions (limited to the Glue namespace)',
      [bucketObjects(raw)]: 'RawToSilver reads the raw object named by the run',
      [bucketObjects(silver)]: 'the jobs write and read the run prefix of silver',
      [bucketObjects(gold)]: 'SilverToGold writes the run prefix of gold',
      [arnFinding(this, 'logs', 'log-group:/aws-glue/*')]: 'Glue writes job logs to its /aws-glue/* log groups',
      [arnFinding(this, 'logs', 'log-group:/aws-glue/*:log-stream:*')]: 'Glue creates one log stream per job run in those groups',
      [`Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${this.region}/*`]: 'the Glue scripts and SQL are CDK file assets in the bootstrap bucket',
    });

    const securityConfiguration = new glue.CfnSecurityConfiguration(this, 'GlueSecurityConfiguration', {
      name: 'pricesense-glue',
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
      },
    });
    new glue.CfnDatabase(this, 'GlueDatabase', { catalogId: this.account, databaseInput: { name: GLUE_DATABASE, description: 'pricesense gold tables' } });
    // Parquet tables under gold/run_id=<id>/<folder>/, one partition per run. Partition projection:
    // every run is queryable without crawlers or MSCK REPAIR.
    const goldRunTable = (id: string, name: string, folder: string, columns: Array<{ name: string; type: string }>): void => {
      new glue.CfnTable(this, id, {
        catalogId: this.account,
        databaseName: GLUE_DATABASE,
        tableInput: {
          name,
          tableType: 'EXTERNAL_TABLE',
          partitionKeys: [{ name: 'run_id', type: 'string' }],
          parameters: {
            classification: 'parquet',
            'projection.enabled': 'true',
            'projection.run_id.type': 'injected',
            'storage.location.template': `s3://${gold.bucketName}/gold/run_id=\${run_id}/${folder}/`,
          },
          storageDescriptor: {
            location: `s3://${gold.bucketName}/gold/`,
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
            columns,
          },
        },
      }).addResourceDependency(this.node.findChild('GlueDatabase') as glue.CfnDatabase);
    };
    goldRunTable('GoldBasketsTable', GOLD_BASKETS_TABLE, 'baskets', GOLD_BASKET_COLUMNS.map(([name, type]) => ({ name, type })));
    // The raw -> silver counts of each run, one row, for the rejected-share data-quality rule.
    goldRunTable('SilverStatsTable', SILVER_STATS_TABLE, 'silver_stats', SILVER_STATS_COLUMNS.map((name) => ({ name, type: 'bigint' })));

    const glueJob = (id: string, name: string, script: string) => {
      const path = join(props.glueScriptsDir, script);
      if (!existsSync(path)) throw new Error(`The Glue script ${path} does not exist: job ${name} runs it.`);
      const asset = new assets.Asset(this, `${id}Script`, { path });
      asset.grantRead(glueRole);
      const sqlDir = join(props.glueScriptsDir, 'sql');
      const sqlAsset = existsSync(sqlDir) ? new assets.Asset(this, `${id}Sql`, { path: sqlDir }) : undefined;
      sqlAsset?.grantRead(glueRole);
      // The SQL-step runner both jobs `import sql_steps` (glue-scripts/sql_steps.py). A single-file
      // asset would reach Glue as <hash>.py, not importable under its name (aws/aws-cdk#20481); a
      // directory asset holding only that file is zipped with sql_steps.py at the archive root, and
      // Glue puts an --extra-py-files zip on sys.path. (Chosen over a BucketDeployment under an
      // explicit key: no custom-resource Lambda, and the hash still versions the module per deploy.)
      const stepsPath = join(props.glueScriptsDir, 'sql_steps.py');
      const stepsAsset = existsSync(stepsPath)
        ? new assets.Asset(this, `${id}SqlSteps`, { path: props.glueScriptsDir, exclude: ['*', '!sql_steps.py'] })
        : undefined;
      stepsAsset?.grantRead(glueRole);
      const job = new glue.CfnJob(this, id, {
        name,
        role: glueRole.roleArn,
        command: { name: 'glueetl', pythonVersion: '3', scriptLocation: asset.s3ObjectUrl },
        glueVersion: config.glue.glueVersion,
        workerType: config.glue.workerType,
        numberOfWorkers: config.glue.numberOfWorkers,
        timeout: config.glue.timeoutMinutes,
        maxRetries: 0,
        executionProperty: { maxConcurrentRuns: 2 },
        securityConfiguration: securityConfiguration.name,
        defaultArguments: {
          '--enable-continuous-cloudwatch-log': 'true',
          '--enable-metrics': 'true',
          '--job-language': 'python',
          ...(sqlAsset ? { '--extra-files': sqlAsset.s3ObjectUrl } : {}),
          ...(stepsAsset ? { '--extra-py-files': stepsAsset.s3ObjectUrl } : {}),
          [GlueJobArgument.RunId]: 'unset',
        },
        ...(network ? { connections: { connections: [GLUE_CONNECTION_NAME] } } : {}),
      });
      if (network) job.node.addDependency(network.glueConnection);
      return job;
    };
    network?.grantNetworkInterfaces(glueRole, 'glue');
    glueJob('RawToSilverJob', GlueJob.RawToSilver, 'raw_to_silver.py');
    glueJob('SilverToGoldJob', GlueJob.SilverToGold, 'silver_to_gold.py');

    new athena.CfnWorkGroup(this, 'AthenaWorkGroup', {
      name: ATHENA_WORKGROUP,
      description: 'pricesense data-quality queries',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${artifacts.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });

    // --- SageMaker: role, registry, feature group ---------------------------------------------
    const sageMakerRole = new iam.Role(this, 'SageMakerExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'pricesense training, batch transform, hosting and the feature store offline store',
    });
    gold.grantRead(sageMakerRole);
    // Read anywhere in artifacts (model artifacts of earlier runs back the registered packages), but
    // write only the prefixes SageMaker writes and never delete: the bucket holds registered models.
    artifacts.grantRead(sageMakerRole);
    for (const prefix of SAGEMAKER_WRITE_PREFIXES) artifacts.grantPut(sageMakerRole, `${prefix}*`);
    // What AWS's managed AmazonSageMakerFeatureStoreAccess policy grants the offline-store role,
    // narrowed to this store (docs.aws.amazon.com/sagemaker/latest/dg/security-iam-awsmanpol-feature-store.html):
    // objects written with an ACL, the bucket ACL read, and the Glue table of the offline store.
    sageMakerRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObjectAcl'], resources: [artifacts.arnForObjects(`${FEATURE_STORE_PREFIX}*`)] }));
    sageMakerRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [artifacts.bucketArn] }));
    sageMakerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetTable', 'glue:UpdateTable'],
        resources: [
          this.formatArn({ service: 'glue', resource: 'catalog' }),
          this.formatArn({ service: 'glue', resource: 'database', resourceName: FEATURE_STORE_GLUE_DATABASE }),
          this.formatArn({ service: 'glue', resource: 'table', resourceName: `${FEATURE_STORE_GLUE_DATABASE}/*` }),
        ],
      }),
    );
    key.grantEncryptDecrypt(sageMakerRole);
    key.grant(sageMakerRole, 'kms:CreateGrant', 'kms:DescribeKey');
    sageMakerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [`arn:${this.partition}:ecr:${props.region}:${xgboostImageUri(props.region).split('.')[0]}:repository/sagemaker-xgboost`],
      }),
    );
    sageMakerRole.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    sageMakerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [
          this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*:log-stream:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        ],
      }),
    );
    sageMakerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringLike: { 'cloudwatch:namespace': ['aws/sagemaker/*', '/aws/sagemaker/*'] } } }),
    );
    acknowledgeFindings(sageMakerRole, {
      'Resource::*': 'ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions (PutMetricData is limited by namespace condition)',
      [bucketObjects(gold)]: 'training and transform read the gold CSV channels of any run',
      [bucketObjects(artifacts)]: 'training and transform read model artifacts of any run (registered packages point at them); writes are limited to the prefixes below',
      ...Object.fromEntries(SAGEMAKER_WRITE_PREFIXES.map((prefix) => [bucketObjects(artifacts, prefix), `SageMaker writes job output under ${prefix} (one sub-prefix per job or run)`])),
      [arnFinding(this, 'glue', `table/${FEATURE_STORE_GLUE_DATABASE}/*`)]: 'the offline store updates the Glue table SageMaker creates for the feature group in sagemaker_featurestore (as the managed Feature Store policy grants)',
      [arnFinding(this, 'logs', 'log-group:/aws/sagemaker/*')]: 'SageMaker jobs and endpoints write to their own /aws/sagemaker/* log groups, whose names are per job',
      [arnFinding(this, 'logs', 'log-group:/aws/sagemaker/*:log-stream:*')]: 'SageMaker creates one log stream per job instance or endpoint variant in those groups',
    });

    network?.grantNetworkInterfaces(sageMakerRole, 'sagemaker');

    const modelPackageGroup = new sagemaker.CfnModelPackageGroup(this, 'ModelPackageGroup', {
      modelPackageGroupName: config.modelPackageGroupName,
      modelPackageGroupDescription: 'pricesense basket price-sensitivity models (XGBoost 1.7, LA/MM/UM)',
    });

    new sagemaker.CfnFeatureGroup(this, 'CustomerFeatureGroup', {
      featureGroupName: CUSTOMER_FEATURE_GROUP,
      recordIdentifierFeatureName: CUSTOMER_RECORD_ID,
      eventTimeFeatureName: CUSTOMER_EVENT_TIME,
      description: 'Customer price-sensitivity history computed from earlier weeks only',
      featureDefinitions: [
        { featureName: CUSTOMER_RECORD_ID, featureType: 'String' },
        { featureName: CUSTOMER_EVENT_TIME, featureType: 'String' },
        ...CUSTOMER_FEATURES.map((feature) => ({ featureName: feature.name, featureType: feature.type })),
      ],
      // These two properties are untyped (any) in CDK: CloudFormation's PascalCase keys are required.
      onlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: key.keyArn } },
      offlineStoreConfig: { S3StorageConfig: { S3Uri: `s3://${artifacts.bucketName}/${FEATURE_STORE_PREFIX}`, KmsKeyId: key.keyArn } },
      roleArn: sageMakerRole.roleArn,
    });

    // --- notifications and alarms --------------------------------------------------------------
    const topic = new sns.Topic(this, 'NotificationsTopic', { topicName: 'pricesense-notifications', masterKey: key, enforceSSL: true });

    const endpointMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SageMaker',
        metricName,
        dimensionsMap: { EndpointName: config.endpointName, VariantName: 'AllTraffic' },
        statistic,
        period: Duration.minutes(1),
      });
    new cloudwatch.Alarm(this, 'Endpoint5xxAlarm', {
      alarmName: ROLLBACK_ALARM_NAMES.endpoint5xx,
      alarmDescription: 'Endpoint 5xx errors: rolls back a blue/green update',
      metric: endpointMetric('Invocation5XXErrors', 'Sum'),
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new cloudwatch.Alarm(this, 'EndpointLatencyAlarm', {
      alarmName: ROLLBACK_ALARM_NAMES.endpointP95Latency,
      alarmDescription: 'Endpoint p95 ModelLatency above 200 ms: rolls back a blue/green update',
      // ModelLatency is reported in microseconds.
      metric: endpointMetric('ModelLatency', 'p95'),
      threshold: 200_000,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // --- task functions ------------------------------------------------------------------------
    const bucketEnv = {
      [TaskEnv.RawBucket]: raw.bucketName,
      [TaskEnv.SilverBucket]: silver.bucketName,
      [TaskEnv.GoldBucket]: gold.bucketName,
      [TaskEnv.ArtifactsBucket]: artifacts.bucketName,
    };
    const taskFunction = (id: string, name: TaskFunction, environment: Record<string, string>, timeout = Duration.minutes(1), memorySize = 512) => {
      const entry = taskEntry(name, props.tasksDir);
      if (!existsSync(entry)) throw new Error(`The task handler ${entry} does not exist: the ${name} function needs it.`);
      const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY });
      const fn = new nodejs.NodejsFunction(this, id, {
        entry,
        projectRoot: REPO_ROOT,
        depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize,
        timeout,
        tracing: lambda.Tracing.ACTIVE,
        logGroup,
        environmentEncryption: key,
        environment: { [TaskEnv.ServiceName]: name, [TaskEnv.MetricsNamespace]: METRICS_NAMESPACE, ...environment },
        ...(network?.functionPlacement ?? {}),
        bundling: {
          forceDockerBundling: false,
          format: nodejs.OutputFormat.ESM,
          target: 'node22',
          minify: true,
          sourceMap: true,
          // ESM bundles of CommonJS dependencies still call require().
          banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        },
      });
      network?.acknowledgeFunction(fn);
      acknowledgeRule(fn, 'AwsSolutions-L1', 'nodejs22.x is the runtime the project targets (current LTS line on Lambda); upgraded deliberately, not automatically.');
      acknowledgeRule(fn, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'CDK attaches AWSLambdaBasicExecutionRole for log delivery only; the function logs to its own KMS-encrypted log group.');
      acknowledgeFindings(fn, {
          'Resource::*': 'xray:PutTraceSegments/PutTelemetryRecords (active tracing) and cloudwatch:PutMetricData (namespace-limited) have no resource-level permissions',
      });
      return fn;
    };
    const validateInput = taskFunction('ValidateInputFunction', TaskFunction.ValidateInput, {
      ...bucketEnv,
      [TaskEnv.MaxObjectBytes]: String(config.validation.maxObjectBytes),
      [TaskEnv.SampleRows]: String(config.validation.sampleRows),
    });
    raw.grantRead(validateInput, `${RAW_PREFIX}*`);
    raw.grantPut(validateInput, 'quarantine/*');
    acknowledgeFindings(validateInput, {
      [bucketObjects(raw, 'raw/')]: 'validate-input reads any object under raw/ (the run names it)',
      [bucketObjects(raw, 'quarantine/')]: 'rejected files are copied under quarantine/<runId>/',
    });
    const ingestFeatures = taskFunction(
      'IngestFeaturesFunction',
      TaskFunction.IngestFeatures,
      {
        ...bucketEnv,
        [TaskEnv.FeatureGroupName]: CUSTOMER_FEATURE_GROUP,
        [TaskEnv.IngestConcurrency]: String(config.ingestion.concurrency),
        [TaskEnv.IngestMaxAttempts]: String(config.ingestion.maxAttempts),
      },
      Duration.minutes(15),
      1024,
    );
    gold.grantRead(ingestFeatures, 'gold/*');
    artifacts.grantPut(ingestFeatures, 'ingestion/*');
    acknowledgeFindings(ingestFeatures, {
      [bucketObjects(gold, 'gold/')]: 'reads the customer_features/ files of the run under gold/',
      [bucketObjects(artifacts, 'ingestion/')]: 'writes failed-record reports under ingestion/run_id=<runId>/',
    });
    ingestFeatures.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:PutRecord'],
        resources: [this.formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: CUSTOMER_FEATURE_GROUP })],
      }),
    );
    const evaluateModel = taskFunction('EvaluateModelFunction', TaskFunction.EvaluateModel, { ...bucketEnv, [TaskEnv.ModelPackageGroupName]: config.modelPackageGroupName }, Duration.minutes(5), 1024);
    gold.grantRead(evaluateModel, 'gold/*');
    // Reads transform output and the approved model's report; writes only its report, deletes nothing.
    artifacts.grantRead(evaluateModel);
    artifacts.grantPut(evaluateModel, 'evaluation/*');
    evaluateModel.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:ListModelPackages', 'sagemaker:DescribeModelPackage'],
        resources: [modelPackageGroup.attrModelPackageGroupArn, this.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${config.modelPackageGroupName}/*` })],
      }),
    );
    evaluateModel.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } } }));
    acknowledgeFindings(evaluateModel, {
      [bucketObjects(gold, 'gold/')]: 'reads the test labels of the run under gold/',
      [bucketObjects(artifacts)]: 'reads transform output of the run and the approved model\'s report (any run)',
      [bucketObjects(artifacts, 'evaluation/')]: 'writes the model-quality report under evaluation/run_id=<runId>/',
      [arnFinding(this, 'sagemaker', `model-package/${config.modelPackageGroupName}/*`)]: 'DescribeModelPackage on the versions of the one model package group',
    });

    // --- state machine -------------------------------------------------------------------------
    const eksCluster =
      config.eks.clusterName !== ''
        ? eks.Cluster.fromClusterAttributes(this, 'ServingCluster', {
            clusterName: config.eks.clusterName,
            clusterEndpoint: config.eks.endpoint,
            clusterCertificateAuthorityData: config.eks.certificateAuthorityData,
          })
        : undefined;
    const definition = buildPipelineDefinition(this, {
      config,
      functions: { validateInput, ingestFeatures, evaluateModel },
      goldBucket: gold,
      artifactsBucket: artifacts,
      glueJobNames: { rawToSilver: GlueJob.RawToSilver, silverToGold: GlueJob.SilverToGold },
      dataQualitySql: singleLineSql(readDataQualitySql(props.glueScriptsDir)),
      dataQualityExecutionParameters: (runId) => dataQualityExecutionParameters(runId, config.dataQuality),
      athenaWorkGroup: ATHENA_WORKGROUP,
      athenaDatabase: GLUE_DATABASE,
      topic,
      featureGroupName: CUSTOMER_FEATURE_GROUP,
      modelPackageGroupName: config.modelPackageGroupName,
      sageMakerRole,
      xgboostImageUri: xgboostImageUri(props.region),
      kmsKey: key,
      rollbackAlarmNames: Object.values(ROLLBACK_ALARM_NAMES),
      ...(eksCluster ? { eksCluster } : {}),
      ...(network ? { sageMakerVpcConfig: network.sageMakerVpcConfig } : {}),
    });
    const stateMachineLogs = new logs.LogGroup(this, 'StateMachineLogs', {
      logGroupName: `/aws/vendedlogs/states/${STATE_MACHINE_NAME}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'PipelineStateMachine', {
      stateMachineName: STATE_MACHINE_NAME,
      stateMachineType: sfn.StateMachineType.STANDARD,
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: definition.definitionBody,
      comment: 'pricesense: raw CSV → Glue → data quality → feature store → XGBoost → gate → registry → rollout',
      timeout: Duration.hours(12),
      tracingEnabled: true,
      logs: { destination: stateMachineLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(key, Duration.minutes(5)),
    });
    for (const statement of definition.policyStatements) this.stateMachine.addToRolePolicy(statement);
    restrictLogDeliveryToAccount(key, this.account, this.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
    if (eksCluster && config.deployTarget === DeployTarget.Eks) {
      // eks:call authenticates as the state machine's role: the cluster must know it. An access
      // entry (EKS access-entry API; the cluster's authentication mode must allow API entries)
      // grants edit rights in the serving namespace only.
      new eks.CfnAccessEntry(this, 'ServingClusterAccess', {
        clusterName: config.eks.clusterName,
        principalArn: this.stateMachine.role.roleArn,
        type: 'STANDARD',
        accessPolicies: [
          {
            policyArn: `arn:${this.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy`,
            accessScope: { type: 'namespace', namespaces: [config.eks.namespace] },
          },
        ],
      });
    }
    if (config.deployTarget === DeployTarget.Endpoint) {
      // UpdateEndpoint with auto-rollback checks the rollback alarms with the caller's permissions.
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['cloudwatch:DescribeAlarms'],
          resources: Object.values(ROLLBACK_ALARM_NAMES).map((alarmName) =>
            this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: alarmName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          ),
        }),
      );
    }
    // Distributed Map children are executions of this same state machine: CDK's DistributedMap
    // grants StartExecution on the state machine ARN (`…:stateMachine:NAME`, colon form) and
    // Describe/Stop/RedriveExecution on its `…:execution:NAME:*` ARNs (DistributedMapPolicy).
    // Lists the run's customer_features/ for the Distributed Map; Athena reads the gold baskets with the caller's credentials.
    gold.grantRead(this.stateMachine, 'gold/*');
    key.grantEncryptDecrypt(this.stateMachine);
    const smLogicalId = this.getLogicalId(this.stateMachine.node.defaultChild as CfnResource);
    const executions = `arn:<AWS::Partition>:states:${this.region}:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${smLogicalId}"}]}]}`;
    acknowledgeFindings(this.stateMachine, {
      'Resource::*': 'X-Ray and CloudWatch Logs delivery APIs, which have no resource-level permissions',
      [bucketObjects(gold, 'gold/')]: 'the Distributed Map lists the run\'s customer_features/ and Athena reads the run\'s baskets under gold/',
      [bucketObjects(artifacts, ATHENA_RESULTS_PREFIX)]: 'Athena writes and reads query results under the workgroup\'s result prefix',
      [functionVersions(validateInput)]: 'CDK LambdaInvoke grants the function and its versions',
      [functionVersions(ingestFeatures)]: 'CDK LambdaInvoke grants the function and its versions',
      [functionVersions(evaluateModel)]: 'CDK LambdaInvoke grants the function and its versions',
      [arnFinding(this, 'sagemaker', 'training-job/ps-train-*')]: 'training job names are derived per execution with the ps-train- prefix',
      [arnFinding(this, 'sagemaker', 'hyper-parameter-tuning-job/ps-tune-*')]: 'tuning job names (training.tuning) are derived per execution with the ps-tune- prefix',
      [arnFinding(this, 'sagemaker', 'training-job/ps-tune-*')]: 'the trials of a tuning job are named <tuning job>-<NNN>-<hex> by SageMaker',
      [bucketObjects(artifacts, 'experiments/')]: 'RecordExperiment writes the run\'s experiment record under experiments/run_id=<runId>/',
      [arnFinding(this, 'sagemaker', 'model/ps-model-*')]: 'model names are derived per execution with the ps-model- prefix',
      [arnFinding(this, 'sagemaker', `model/${SERVING_MODEL_NAME_PREFIX}-*`)]: 'serving model names (from the registered package) are derived per execution with the ps-serve- prefix',
      [arnFinding(this, 'sagemaker', 'transform-job/ps-score-*')]: 'transform job names are derived per execution with the ps-score- prefix',
      [arnFinding(this, 'sagemaker', 'endpoint-config/ps-epc-*')]: 'endpoint config names are derived per execution with the ps-epc- prefix',
      [arnFinding(this, 'sagemaker', `model-package/${config.modelPackageGroupName}/*`)]: 'versions of the one model package group',
      [arnFinding(this, 'glue', `table/${GLUE_DATABASE}/*`)]: 'Athena reads the tables of the pricesense database',
      [`Resource::${executions}:*`]: 'Distributed Map child executions of this state machine',
      [`Resource::${executions}/*:*`]: 'Distributed Map child executions of this state machine',
    });

    if (!config.endpoint.serverless) {
      // The endpoint branch of instance-backed endpoints has the autoscaling step (serverless ones scale themselves).
      acknowledgeFindings(this.stateMachine, {
        [arnFinding(this, 'application-autoscaling', 'scalable-target/*')]:
          'scalable-target ARNs carry a generated id; the statement is limited to the sagemaker namespace and variant instance count by condition keys',
        [arnFinding(this, 'cloudwatch', `alarm:TargetTracking-endpoint/${config.endpointName}/variant/AllTraffic-*`)]:
          'the alarms target tracking creates for this endpoint variant (AlarmHigh/AlarmLow with a generated suffix)',
      });
    }

    // --- S3 → EventBridge → start-execution trigger ------------------------------------------
    const startExecution = taskFunction('StartExecutionFunction', TaskFunction.StartExecution, {
      [TaskEnv.RawBucket]: raw.bucketName,
      [TaskEnv.StateMachineArn]: this.stateMachine.stateMachineArn,
    });
    this.stateMachine.grantStartExecution(startExecution);
    // The state machine is encrypted with the customer key: starting an execution encrypts its input.
    key.grant(startExecution, 'kms:GenerateDataKey', 'kms:Decrypt');
    const triggerDlq = new sqs.Queue(this, 'TriggerDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(triggerDlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the S3 trigger.' });
    new events.Rule(this, 'RawObjectCreatedRule', {
      description: 'A CSV landing under raw/ starts one pipeline execution (duplicates are absorbed by the deterministic execution name).',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [raw.bucketName] }, object: { key: [{ prefix: RAW_PREFIX }] } },
      },
      targets: [new targets.LambdaFunction(startExecution, { deadLetterQueue: triggerDlq, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    if (config.audit.enabled) {
      new AuditTrail(this, 'Audit', { audit: config.audit, dataBuckets: [raw, gold, artifacts], accessLogsBucket: accessLogs });
    }
    if (config.cicd.githubRepository !== '') {
      new CiSmokeRole(this, 'CiSmoke', { cicd: config.cicd, rawBucket: raw, key, stateMachineName: STATE_MACHINE_NAME });
    }

    // --- serving: inference log and /predict ---------------------------------------------------
    const inferenceTable = new dynamodb.Table(this, 'InferenceLogTable', {
      partitionKey: { name: 'inferenceId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (config.deployTarget === DeployTarget.Eks) {
      // /predict is served by the pricesense image on EKS behind its ALB Ingress (infra/eks): no API
      // Gateway + Lambda pointing at a SageMaker endpoint this target never deploys.
      new EksServingResources(this, 'EksServing', { eks: config.eks, key, artifactsBucket: artifacts, inferenceTable, featureGroupName: CUSTOMER_FEATURE_GROUP });
    } else if (existsSync(taskEntry(TaskFunction.Predict, props.tasksDir))) {
      this.createPredictApi({ key, inferenceLogSampleRate: config.inferenceLogSampleRate, inferenceTable, taskFunction, endpointName: config.endpointName, goldBucket: gold, modelPackageGroupName: config.modelPackageGroupName });
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
    const predictApi = this.node.tryFindChild('PredictApi') as apigw.RestApi | undefined;
    const monitoring = new PipelineMonitoring(this, 'Monitoring', {
      config,
      stateMachine: this.stateMachine,
      stateMachineLogs,
      topic,
      triggerDeadLetterQueue: triggerDlq,
      rollbackAlarms: [this.node.findChild('Endpoint5xxAlarm') as cloudwatch.Alarm, this.node.findChild('EndpointLatencyAlarm') as cloudwatch.Alarm],
      ...(predictApi ? { predictApi: { apiName: 'pricesense-predict', stage: predictApi.deploymentStage.stageName } } : {}),
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

  private createPredictApi(deps: {
    key: kms.IKey;
    inferenceLogSampleRate: number;
    inferenceTable: dynamodb.ITable;
    endpointName: string;
    goldBucket: s3.IBucket;
    modelPackageGroupName: string;
    taskFunction: (id: string, name: TaskFunction, environment: Record<string, string>, timeout?: Duration, memorySize?: number) => lambda.Function;
  }): void {
    const predict = deps.taskFunction(
      'PredictFunction',
      TaskFunction.Predict,
      {
        [TaskEnv.EndpointName]: deps.endpointName,
        [TaskEnv.InferenceTableName]: deps.inferenceTable.tableName,
        [TaskEnv.FeatureGroupName]: CUSTOMER_FEATURE_GROUP,
        [TaskEnv.InferenceLogSampleRate]: String(deps.inferenceLogSampleRate),
        // The served model's reference prices: its package names the gold run that wrote them.
        [TaskEnv.GoldBucket]: deps.goldBucket.bucketName,
        [TaskEnv.ModelPackageGroupName]: deps.modelPackageGroupName,
      },
      Duration.seconds(10),
      1024,
    );
    deps.inferenceTable.grantWriteData(predict);
    deps.goldBucket.grantRead(predict, `gold/run_id=*/serving/${REFERENCE_PRICES_FILE}`);
    // The served model's run is read through the endpoint (tasks/core/predict/served-model-run.ts).
    predict.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:DescribeEndpoint'],
        resources: [this.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: deps.endpointName.toLowerCase() })],
      }),
    );
    predict.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel', 'sagemaker:DescribeModelPackage'],
        resources: [
          this.formatArn({ service: 'sagemaker', resource: 'endpoint-config', resourceName: 'ps-epc-*' }),
          this.formatArn({ service: 'sagemaker', resource: 'model', resourceName: `${SERVING_MODEL_NAME_PREFIX}-*` }),
          this.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${deps.modelPackageGroupName.toLowerCase()}/*` }),
        ],
      }),
    );
    acknowledgeFindings(predict, {
      [bucketObjects(deps.goldBucket).replace(/\*$/, `gold/run_id=*/serving/${REFERENCE_PRICES_FILE}`)]: 'reads only the reference_prices.json of each gold run (the served model names its run)',
      [arnFinding(this, 'sagemaker', 'endpoint-config/ps-epc-*')]: 'DescribeEndpointConfig on the pipeline\'s endpoint configs (one per run), to find the served model',
      [arnFinding(this, 'sagemaker', `model/${SERVING_MODEL_NAME_PREFIX}-*`)]: 'DescribeModel on the pipeline\'s serving models (one per run), to find its model package',
      [arnFinding(this, 'sagemaker', `model-package/${deps.modelPackageGroupName.toLowerCase()}/*`)]: 'DescribeModelPackage on the versions of the one model package group, to find the served run',
    });
    const accessLogs = new logs.LogGroup(this, 'PredictApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: deps.key, removalPolicy: RemovalPolicy.DESTROY });
    const api = new apigw.RestApi(this, 'PredictApi', {
      restApiName: 'pricesense-predict',
      description: 'POST /predict: basket → price-sensitivity label and probabilities',
      cloudWatchRole: true,
      deployOptions: {
        stageName: PREDICT_API_STAGE,
        tracingEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: 200,
        throttlingBurstLimit: 400,
      },
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
    });
    // API Gateway validates a body only against a model: without one the validator checked nothing.
    // The model holds the envelope (a JSON object whose items are 1..MAX_BASKET_ITEMS objects), so
    // garbage and oversized baskets are refused before a Lambda runs; the field rules, with their
    // per-field messages, stay in the handler (tasks/core/predict/basket-request.ts).
    const basketModel = api.addModel('PredictBasketModel', {
      contentType: 'application/json',
      modelName: 'PredictBasket',
      description: 'One basket: the envelope of tasks/core/predict/basket-request.ts',
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        title: 'PredictBasket',
        type: apigw.JsonSchemaType.OBJECT,
        required: ['items'],
        properties: {
          items: { type: apigw.JsonSchemaType.ARRAY, minItems: 1, maxItems: MAX_BASKET_ITEMS, items: { type: apigw.JsonSchemaType.OBJECT } },
        },
      },
    });
    // No request parameters are declared, so validating them (cdk-nag APIG2 asks for both) checks nothing more.
    const validator = api.addRequestValidator('PredictBodyValidator', { validateRequestBody: true, validateRequestParameters: true });
    api.root.addResource('predict').addMethod('POST', new apigw.LambdaIntegration(predict), { requestValidator: validator, requestModels: { 'application/json': basketModel } });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'No WAF web ACL is attached: the API takes only IAM (SigV4)-signed requests from internal callers and the stage is throttled (200 rps, burst 400). Exposing it more widely needs a web ACL, which this stack does not create.',
    });
    const apiCloudWatchRole = api.node.tryFindChild('CloudWatchRole');
    if (apiCloudWatchRole) {
      acknowledgeRule(apiCloudWatchRole, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]', 'The account-level role API Gateway uses to write execution and access logs; AWS-managed, log delivery only.');
    }
    Validations.of(api).acknowledge({ id: 'AwsSolutions-COG4', reason: 'The API uses IAM (SigV4) authorization, not Cognito.' });
    // Trace 1 % of /predict and no fixed reservoir: the default rule (1/s + 5 %) would cost more than the
    // whole training pipeline at 100 req/s (docs/COST.md).
    new xray.CfnSamplingRule(this, 'PredictTraceSampling', {
      samplingRule: {
        ruleName: 'pricesense-predict',
        priority: 100,
        fixedRate: 0.01,
        reservoirSize: 0,
        serviceName: `pricesense-predict/${PREDICT_API_STAGE}`,
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });
  }
}

/**
 * CDK's StateMachine adds `kms:Decrypt*` for `delivery.logs.amazonaws.com` to the key policy with no
 * condition: any account's log delivery could then use the key (confused deputy). The Step
 * Functions guide (encryption at rest, logging with a customer managed key) conditions it on
 * `aws:SourceAccount` and an `aws:SourceArn` in this account's logs. Fails loudly if CDK stops
 * adding the statement, so the condition can never silently go missing.
 */
function restrictLogDeliveryToAccount(key: kms.Key, account: string, logsArnPattern: string): void {
  const document = (key as unknown as { policy?: iam.PolicyDocument }).policy;
  const statements = ((document as unknown as { statements?: iam.PolicyStatement[] })?.statements ?? []).filter((statement) =>
    statement.principals.some((principal) => JSON.stringify(principal.policyFragment.principalJson).includes('delivery.logs.amazonaws.com')),
  );
  if (statements.length === 0) throw new Error('The data key has no delivery.logs.amazonaws.com statement to restrict: did aws-cdk-lib change how StateMachine grants log delivery?');
  for (const statement of statements) {
    statement.addCondition('StringEquals', { 'aws:SourceAccount': account });
    statement.addCondition('ArnLike', { 'aws:SourceArn': logsArnPattern });
  }
}

