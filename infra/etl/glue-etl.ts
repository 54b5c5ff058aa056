/**
 * The Glue ETL: the job role (read raw, read/write silver and gold, its own logs), the security
 * configuration (SSE-KMS output, logs and bookmarks), and the RawToSilver and SilverToGold jobs,
 * whose script, SQL folder and sql_steps.py module are CDK file assets.
 *
 * Created in the stack's own scope (not a child construct) so the logical IDs stay those of the
 * deployed stack. The role's policy statements keep their order: grants, logs, metrics, the
 * network interfaces, then each job's asset reads.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, type Stack, aws_glue as glue, aws_iam as iam, type aws_kms as kms, aws_s3_assets as assets } from 'aws-cdk-lib';
import type { GlueConfig } from '../../workflow/config.js';
import { GlueJob, GlueJobArgument } from '../../workflow/resource-names.js';
import { acknowledgeFindings, arnFinding, bucketObjects } from '../nag-acknowledgements.js';
import { GLUE_CONNECTION_NAME, type PrivateNetwork } from '../network/private-network.js';
import type { ZoneBuckets } from '../data-lake/zone-buckets.js';

export interface GlueEtlProps {
  glue: GlueConfig;
  buckets: Pick<ZoneBuckets, 'raw' | 'silver' | 'gold'>;
  key: kms.IKey;
  /** Folder of raw_to_silver.py, silver_to_gold.py, sql/ and sql_steps.py. */
  glueScriptsDir: string;
  network?: PrivateNetwork;
}

export function createGlueEtl(stack: Stack, props: GlueEtlProps): { role: iam.Role } {
  const { raw, silver, gold } = props.buckets;
  const { key, network } = props;
  const glueRole = new iam.Role(stack, 'GlueJobRole', {
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
        stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/*:log-stream:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
    }),
  );
  glueRole.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } } }));
  acknowledgeFindings(glueRole, {
    'Resource::*': 'cloudwatch:PutMetricData has no resource-level permissions (limited to the Glue namespace)',
    [bucketObjects(raw)]: 'RawToSilver reads the raw object named by the run',
    [bucketObjects(silver)]: 'the jobs write and read the run prefix of silver',
    [bucketObjects(gold)]: 'SilverToGold writes the run prefix of gold',
    [arnFinding(stack, 'logs', 'log-group:/aws-glue/*')]: 'Glue writes job logs to its /aws-glue/* log groups',
    [arnFinding(stack, 'logs', 'log-group:/aws-glue/*:log-stream:*')]: 'Glue creates one log stream per job run in those groups',
    [`Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${stack.region}/*`]: 'the Glue scripts and SQL are CDK file assets in the bootstrap bucket',
  });

  const securityConfiguration = new glue.CfnSecurityConfiguration(stack, 'GlueSecurityConfiguration', {
    name: 'pricesense-glue',
    encryptionConfiguration: {
      s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn }],
      cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
    },
  });

  const glueJob = (id: string, name: string, script: string) => {
    const path = join(props.glueScriptsDir, script);
    if (!existsSync(path)) throw new Error(`The Glue script ${path} does not exist: job ${name} runs it.`);
    const asset = new assets.Asset(stack, `${id}Script`, { path });
    asset.grantRead(glueRole);
    const sqlDir = join(props.glueScriptsDir, 'sql');
    const sqlAsset = existsSync(sqlDir) ? new assets.Asset(stack, `${id}Sql`, { path: sqlDir }) : undefined;
    sqlAsset?.grantRead(glueRole);
    // The SQL-step runner both jobs `import sql_steps` (glue-scripts/sql_steps.py). A single-file
    // asset would reach Glue as <hash>.py, not importable under its name (aws/aws-cdk#20481); a
    // directory asset holding only that file is zipped with sql_steps.py at the archive root, and
    // Glue puts an --extra-py-files zip on sys.path. (Chosen over a BucketDeployment under an
    // explicit key: no custom-resource Lambda, and the hash still versions the module per deploy.)
    const stepsPath = join(props.glueScriptsDir, 'sql_steps.py');
    const stepsAsset = existsSync(stepsPath)
      ? new assets.Asset(stack, `${id}SqlSteps`, { path: props.glueScriptsDir, exclude: ['*', '!sql_steps.py'] })
      : undefined;
    stepsAsset?.grantRead(glueRole);
    const job = new glue.CfnJob(stack, id, {
      name,
      role: glueRole.roleArn,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: asset.s3ObjectUrl },
      glueVersion: props.glue.glueVersion,
      workerType: props.glue.workerType,
      numberOfWorkers: props.glue.numberOfWorkers,
      timeout: props.glue.timeoutMinutes,
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
  return { role: glueRole };
}
