/**
 * The Athena workgroup of the data-quality queries: enforced settings, CloudWatch metrics, a
 * 10 GiB scan cutoff per query, SSE-KMS results under the artifacts bucket's result prefix.
 *
 * Created in the stack's own scope (not a child construct) so the logical ID stays the deployed one.
 */
import { type Stack, aws_athena as athena, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { ATHENA_WORKGROUP } from '../../workflow/resource-names.js';
import { ATHENA_RESULTS_PREFIX } from '../../workflow/s3-layout.js';

export function createAthenaWorkGroup(stack: Stack, props: { artifactsBucket: s3.IBucket; key: kms.IKey }): void {
  new athena.CfnWorkGroup(stack, 'AthenaWorkGroup', {
    name: ATHENA_WORKGROUP,
    description: 'pricesense data-quality queries',
    recursiveDeleteOption: true,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
      resultConfiguration: {
        outputLocation: `s3://${props.artifactsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
      },
    },
  });
}
