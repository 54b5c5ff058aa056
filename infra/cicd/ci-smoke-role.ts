/**
 * Role the CI deploy job assumes (after `cdk deploy`) for the smoke execution: it may read the
 * pricesense stack's outputs, put a sample under `raw/ci-smoke/` (which starts one execution
 * through the S3 trigger), encrypt it with the data key, and read that execution's status.
 * Nothing else: no other prefix, no StartExecution, no stop, no delete.
 */
import { ArnFormat, Stack, aws_iam as iam, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CicdConfig } from '../../workflow/config.js';
import { RAW_PREFIX } from '../../workflow/s3-layout.js';
import { acknowledgeFindings, bucketObjects } from '../nag-acknowledgements.js';
import { githubEnvironmentPrincipal, githubOidcProviderArn, SMOKE_ROLE_NAME } from './github-oidc-stack.js';

/** Prefix of the smoke samples; under raw/ so the real trigger and ValidateInput's grant apply. */
export const SMOKE_PREFIX = `${RAW_PREFIX}ci-smoke/`;

export interface CiSmokeRoleProps {
  cicd: CicdConfig;
  rawBucket: s3.IBucket;
  key: kms.IKey;
  stateMachineName: string;
}

export class CiSmokeRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CiSmokeRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: SMOKE_ROLE_NAME,
      description: 'pricesense CI smoke execution: upload a sample under raw/ci-smoke/ and watch its execution',
      assumedBy: githubEnvironmentPrincipal(githubOidcProviderArn(stack, props.cicd), props.cicd),
    });
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'PutSmokeSample', actions: ['s3:PutObject'], resources: [props.rawBucket.arnForObjects(`${SMOKE_PREFIX}*`)] }));
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptSmokeSample',
        actions: ['kms:GenerateDataKey'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WatchSmokeExecution',
        actions: ['states:DescribeExecution'],
        resources: [stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${props.stateMachineName}:ci-smoke-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    // The state machine is encrypted with the data key: reading an execution's input/output decrypts.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptExecutionData',
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `states.${stack.region}.amazonaws.com` } },
      }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadStackOutputs', actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }));
    acknowledgeFindings(this.role, {
      [bucketObjects(props.rawBucket, SMOKE_PREFIX)]: 'the smoke sample is written under raw/ci-smoke/ only (one object per commit and attempt)',
      [`Resource::arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:${props.stateMachineName}:ci-smoke-*`]:
        'the trigger names smoke executions after their key (ci-smoke-<commit>-...): DescribeExecution on those only',
    });
  }
}
