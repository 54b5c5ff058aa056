/**
 * The optional private network (`network.enabled`): isolated subnets without an internet route,
 * the VPC endpoints, security groups that admit only what needs to talk, and every workload placed
 * in the VPC (task Lambdas, SageMaker training/transform/hosting through the definition, Glue
 * through a connection).
 */
import { describe, expect, it } from 'vitest';
import { GLUE_CONNECTION_NAME } from '../../infra/network/private-network.js';
import { resolveDefinition } from '../../local/template/index.js';
import { resolveConfig } from '../../workflow/config.js';
import { PLATFORM_OPTIONS } from '../support/platform-options.js';
import { synthForTest } from '../support/synth.js';

const synthesized = synthForTest(PLATFORM_OPTIONS);
const resources = synthesized.template.Resources as Record<string, any>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const securityGroupId = (prefix: string) => ofType('AWS::EC2::SecurityGroup').find(([id]) => id.startsWith(prefix))![0];
const workloadSg = securityGroupId('NetworkWorkloadSecurityGroup');
const endpointSg = securityGroupId('NetworkEndpointSecurityGroup');
const serviceOf = (endpoint: any) => {
  const name = endpoint.Properties.ServiceName;
  const text = typeof name === 'string' ? name : (name['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : '')).join('');
  return text.replace(/^com\.amazonaws\.[a-z0-9-]*\./, '');
};

describe('private network', () => {
  it('has private subnets only: no internet gateway, no NAT, no public IPs', () => {
    expect(ofType('AWS::EC2::InternetGateway')).toEqual([]);
    expect(ofType('AWS::EC2::NatGateway')).toEqual([]);
    expect(ofType('AWS::EC2::Subnet').map(([, subnet]) => subnet.Properties.AvailabilityZone)).toEqual(['us-east-1a', 'us-east-1b']);
    for (const [, subnet] of ofType('AWS::EC2::Subnet')) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    expect(ofType('AWS::EC2::Route')).toEqual([]);
  });

  it('logs all traffic to a KMS-encrypted log group', () => {
    const [[, flowLog]] = ofType('AWS::EC2::FlowLog') as [[string, any]];
    const logGroup = resources[flowLog.Properties.LogGroupName.Ref];

    expect(flowLog.Properties).toMatchObject({ ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] });
  });

  it('reaches S3 and DynamoDB through gateway endpoints and the listed services through private interface endpoints', () => {
    const endpoints = ofType('AWS::EC2::VPCEndpoint').map(([, e]) => e);
    const gateway = endpoints.filter((e) => e.Properties.VpcEndpointType === 'Gateway').map(serviceOf).sort();
    const interfaces = endpoints.filter((e) => e.Properties.VpcEndpointType === 'Interface');

    expect(gateway).toEqual(['dynamodb', 's3']);
    expect(interfaces.map(serviceOf).sort()).toEqual(
      ['ecr.api', 'ecr.dkr', 'glue', 'kms', 'logs', 'monitoring', 'sagemaker.api', 'sagemaker.featurestore-runtime', 'sagemaker.runtime', 'states', 'sts', 'xray'].sort(),
    );
    for (const endpoint of interfaces) {
      expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
      expect(endpoint.Properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [endpointSg, 'GroupId'] }]);
    }
  });

  it('admits only HTTPS from the workload security group to the endpoints', () => {
    const ingress = ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties).filter((p) => p.GroupId['Fn::GetAtt'][0] === endpointSg);

    expect(ingress).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [workloadSg, 'GroupId'] } })]);
    expect(resources[endpointSg].Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('lets workloads out on HTTPS and to each other only, and in from each other only', () => {
    const sg = resources[workloadSg].Properties;
    const ingress = ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties).filter((p) => p.GroupId['Fn::GetAtt'][0] === workloadSg);

    expect(sg.SecurityGroupIngress).toBeUndefined();
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
    expect(ingress.map((p) => p.SourceSecurityGroupId)).toEqual([{ 'Fn::GetAtt': [workloadSg, 'GroupId'] }]);
  });

  it('places every task Lambda in the private subnets with the workload security group', () => {
    const functions = ofType('AWS::Lambda::Function').filter(([id]) => !id.startsWith('BucketNotificationsHandler'));

    expect(functions.length).toBeGreaterThanOrEqual(6);
    for (const [, fn] of functions) {
      expect(fn.Properties.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [workloadSg, 'GroupId'] }]);
      expect(fn.Properties.VpcConfig.SubnetIds.map((s: any) => s.Ref)).toEqual(ofType('AWS::EC2::Subnet').map(([id]) => id));
    }
  });

  it('runs training, the test-split model and the serving model in the VPC', () => {
    const asl = resolveDefinition(synthesized.template, synthesized.stateMachineLogicalId) as { States: Record<string, any> };
    const states = JSON.stringify(asl);
    const withVpc = [...states.matchAll(/"VpcConfig":\{"SecurityGroupIds":\["([^"]+)"\],"Subnets":\["([^"]+)","([^"]+)"\]\}/g)];

    expect(withVpc).toHaveLength(3);
    expect(asl.States.IngestAndTrain.Branches[1].States.TrainModel.Arguments.VpcConfig).toBeDefined();
    expect(asl.States.CreateModel.Arguments.VpcConfig).toBeDefined();
  });

  it('runs the Glue jobs through a NETWORK connection in a private subnet', () => {
    const [[, connection]] = ofType('AWS::Glue::Connection') as [[string, any]];

    expect(connection.Properties.ConnectionInput).toMatchObject({
      Name: GLUE_CONNECTION_NAME,
      ConnectionType: 'NETWORK',
      PhysicalConnectionRequirements: { SecurityGroupIdList: [{ 'Fn::GetAtt': [workloadSg, 'GroupId'] }] },
    });
    for (const [, job] of ofType('AWS::Glue::Job')) expect(job.Properties.Connections).toEqual({ Connections: [GLUE_CONNECTION_NAME] });
  });

  it('lets SageMaker and Glue create network interfaces only in this VPC\'s subnets and security group', () => {
    const policies = ofType('AWS::IAM::Policy').filter(([id]) => /^Network(SageMaker|Glue)NetworkInterfaces/.test(id)).map(([, p]) => p);

    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const create = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'NetworkInterfacesInPricesenseVpc');
      const arns = JSON.stringify(create.Resource);
      expect(create.Action).toContain('ec2:CreateNetworkInterface');
      expect(arns).toContain(':subnet/');
      expect(arns).toContain(':security-group/');
      expect(arns).not.toContain('"*"');
    }
  });

  it('is off by default', () => {
    const plain = JSON.stringify(synthForTest({}).template.Resources);

    expect(plain).not.toContain('AWS::EC2::VPC');
    expect(plain).not.toContain('VpcConfig');
  });

  it('rejects a CIDR it cannot split into subnets, naming the value', () => {
    expect(() => resolveConfig({ network: { enabled: true, cidr: '10.0.0.0/28' } })).toThrow('network.cidr must be an IPv4 CIDR from /16 to /24, got "10.0.0.0/28"');
  });
});
