/**
 * What the Glue jobs run as and encrypt with: the job role (read raw, read/write silver and gold,
 * its own /aws-glue/* logs and Glue metrics) and the security configuration (SSE-KMS output and
 * logs, CSE-KMS bookmarks with the data key). The jobs' asset reads and network interfaces are
 * granted where the jobs are created (glue-jobs.ts).
 *
 * Created in the stack's own scope (not a child construct) so the logical IDs stay those of the
 * deployed stack.
 */
import { ArnFormat, type Stack, aws_glue as glue, aws_iam as iam, type aws_kms as kms } from 'aws-cdk-lib';
import { acknowledgeFindings, arnFinding, bucketObjects } from '../nag-acknowledgements.js';
import type { ZoneBuckets } from '../data-lake/zone-buckets.js';

export interface GlueJobSecurityProps {
  buckets: Pick<ZoneBuckets, 'raw' | 'silver' | 'gold'>;
  key: kms.IKey;
}

export interface GlueJobSecurity {
  role: iam.Role;
  securityConfiguration: glue.CfnSecurityConfiguration;
}

export function createGlueJobSecurity(stack: Stack, props: GlueJobSecurityProps): GlueJobSecurity {
  const { raw, silver, gold } = props.buckets;
  const { key } = props;
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
  return { role: glueRole, securityConfiguration };
}
