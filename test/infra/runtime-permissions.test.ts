/**
 * Permissions only a real deployment would exercise: CloudWatch Logs names log groups
 * `arn:...:log-group:<name>` (a slash form never matches); starting an execution of a
 * KMS-encrypted state machine needs the key; UpdateEndpoint's auto-rollback reads its alarms.
 */
import { describe, expect, it } from 'vitest';
import { synthForTest } from '../support/synth.js';

const { template } = synthForTest();
const text = JSON.stringify(template);

describe('log permissions use CloudWatch Logs ARNs', () => {
  it('lets CloudWatch Logs use the key only for this account\'s log groups, in the colon form', () => {
    const key = Object.values(template.Resources as Record<string, { Type: string; Properties: { KeyPolicy: { Statement: Array<{ Condition?: Record<string, Record<string, unknown>> }> } } }>).find(
      (resource) => resource.Type === 'AWS::KMS::Key',
    );
    const condition = key?.Properties.KeyPolicy.Statement.map((statement) => statement.Condition?.ArnLike?.['kms:EncryptionContext:aws:logs:arn']).find(Boolean);
    expect(JSON.stringify(condition)).toContain(':log-group:*');
  });

  it('never names a log group with the slash form', () => {
    expect(text).not.toMatch(/log-group\/\//);
    expect(text).toContain(':log-group:/aws-glue/*:log-stream:*');
    expect(text).toContain(':log-group:/aws/sagemaker/*:log-stream:*');
  });
});

function policiesOfFunction(serviceName: string): string {
  const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const functionEntry = Object.entries(resources).find(
    ([, resource]) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === serviceName,
  );
  const roleId = functionEntry?.[1].Properties.Role['Fn::GetAtt'][0];
  return JSON.stringify(Object.values(resources).filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles).includes(roleId)));
}

describe('permissions of the S3 trigger and the endpoint rollout', () => {
  it('lets the trigger encrypt the execution input of the KMS-encrypted state machine', () => {
    const policies = policiesOfFunction('start-execution');
    expect(policies).toContain('states:StartExecution');
    expect(policies).toContain('kms:GenerateDataKey');
  });

  it('lets the state machine read the two auto-rollback alarms UpdateEndpoint watches', () => {
    expect(text).toMatch(/cloudwatch:DescribeAlarms[\s\S]*?:alarm:pricesense-endpoint-5xx/);
    expect(text).toContain(':alarm:pricesense-endpoint-p95-latency');
  });
});


describe('EKS rollout access', () => {
  it("gives the state machine's role edit rights in the serving namespace only, through an EKS access entry", () => {
    const eks = synthForTest({
      deployTarget: 'eks',
      eks: { clusterName: 'prod-cluster', endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com', certificateAuthorityData: 'bG9jYWwtY2E=' },
    }).template;
    const entries = Object.values(eks.Resources as Record<string, { Type: string; Properties: Record<string, any> }>).filter((resource) => resource.Type === 'AWS::EKS::AccessEntry');

    expect(entries).toHaveLength(1);
    expect(entries[0]!.Properties.ClusterName).toBe('prod-cluster');
    expect(entries[0]!.Properties.AccessPolicies[0].AccessScope).toEqual({ Type: 'namespace', Namespaces: ['pricesense'] });
    expect(JSON.stringify(entries[0]!.Properties.PrincipalArn)).toContain('PipelineStateMachineRole');
  });
});
