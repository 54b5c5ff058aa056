/**
 * Optional private networking (`network.enabled`): a VPC with isolated private subnets only (no
 * internet or NAT gateway; AWS APIs are reached through VPC endpoints), one security group for the
 * workloads (task Lambdas, SageMaker training/transform/hosting, Glue workers) and one for the
 * interface endpoints, which accept HTTPS from the workloads only. Flow logs of every rejected and
 * accepted connection go to a KMS-encrypted log group.
 */
import { RemovalPolicy, Stack, aws_ec2 as ec2, aws_glue as glue, aws_iam as iam, type aws_kms as kms, aws_logs as logs, type aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';
import type { NetworkConfig } from '../../workflow/config.js';
import { acknowledgeFindings, acknowledgeRule } from '../nag-acknowledgements.js';

export const GLUE_CONNECTION_NAME = 'pricesense-private';

/**
 * Interface endpoints (private DNS on), by what needs them: SageMaker API/runtime/Feature Store
 * runtime (the list; Lambdas and /predict), STS (IRSA, SDK credential refresh), CloudWatch
 * Logs, KMS, ECR API + Docker (the XGBoost image for training and hosting), Glue (catalog calls of
 * the Glue jobs), Step Functions (the trigger Lambda), CloudWatch metrics (PutMetricData) and X-Ray
 * (active tracing of the Lambdas).
 */
export const INTERFACE_ENDPOINTS = {
  SageMakerApi: ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API,
  SageMakerRuntime: ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME,
  FeatureStoreRuntime: ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_FEATURESTORE_RUNTIME,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Glue: ec2.InterfaceVpcEndpointAwsService.GLUE,
  StepFunctions: ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  XRay: ec2.InterfaceVpcEndpointAwsService.XRAY,
} as const;

/** EC2 actions a service needs to attach its network interfaces to our subnets. */
const ENI_DESCRIBE_ACTIONS = [
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeRouteTables',
];

export interface PrivateNetworkProps {
  network: NetworkConfig;
  /** Encrypts the flow-log group. */
  key: kms.IKey;
}

export class PrivateNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly workloadSecurityGroup: ec2.SecurityGroup;
  readonly endpointSecurityGroup: ec2.SecurityGroup;
  readonly glueConnection: glue.CfnConnection;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: props.key, removalPolicy: RemovalPolicy.DESTROY });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.network.cidr),
      // Named zones instead of Fn::GetAZs: the template stays resolvable by the local twin and
      // does not depend on the account's zone list at deploy time.
      availabilityZones:
        props.network.availabilityZones.length > 0
          ? props.network.availabilityZones
          : ['a', 'b', 'c'].slice(0, props.network.maxAzs).map((letter) => `${Stack.of(scope).region}${letter}`),
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
      // Nothing uses the default security group; restricting it needs a custom-resource Lambda.
      restrictDefaultSecurityGroup: false,
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL } },
    });

    this.workloadSecurityGroup = new ec2.SecurityGroup(this, 'WorkloadSecurityGroup', {
      vpc: this.vpc,
      description: 'pricesense task Lambdas, SageMaker jobs and models, Glue workers',
      allowAllOutbound: false,
    });
    // Glue workers (Spark) and multi-instance training talk to each other: self-referencing rule, as Glue requires.
    this.workloadSecurityGroup.addIngressRule(this.workloadSecurityGroup, ec2.Port.allTcp(), 'Glue/Spark and SageMaker workers among themselves');
    this.workloadSecurityGroup.addEgressRule(this.workloadSecurityGroup, ec2.Port.allTcp(), 'Glue/Spark and SageMaker workers among themselves');
    // HTTPS out: the subnets have no route to the internet, so this reaches only the interface
    // endpoints and the S3/DynamoDB gateway endpoints (whose prefix lists are not known at synth).
    this.workloadSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs through the VPC endpoints (no internet route)');

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'pricesense interface endpoints: HTTPS from the pricesense workloads only',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(this.workloadSecurityGroup, ec2.Port.tcp(443), 'HTTPS from pricesense workloads');

    this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    // The inference log and the drift check use DynamoDB; the gateway endpoint is free.
    this.vpc.addGatewayEndpoint('DynamoDbEndpoint', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      this.vpc.addInterfaceEndpoint(`${name}Endpoint`, { service, privateDnsEnabled: true, securityGroups: [this.endpointSecurityGroup], open: false });
    }

    const [firstSubnet] = this.vpc.isolatedSubnets;
    this.glueConnection = new glue.CfnConnection(this, 'GlueConnection', {
      catalogId: Stack.of(this).account,
      connectionInput: {
        name: GLUE_CONNECTION_NAME,
        description: 'pricesense Glue jobs run in the private subnet (S3 through the gateway endpoint)',
        connectionType: 'NETWORK',
        physicalConnectionRequirements: {
          subnetId: firstSubnet!.subnetId,
          availabilityZone: firstSubnet!.availabilityZone,
          securityGroupIdList: [this.workloadSecurityGroup.securityGroupId],
        },
      },
    });
  }

  /** Private subnets and security group for the Lambda function props. */
  get functionPlacement(): Pick<lambda.FunctionProps, 'vpc' | 'vpcSubnets' | 'securityGroups'> {
    return { vpc: this.vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [this.workloadSecurityGroup] };
  }

  /** `VpcConfig` of SageMaker CreateTrainingJob / CreateModel. */
  get sageMakerVpcConfig(): { SecurityGroupIds: string[]; Subnets: string[] } {
    return { SecurityGroupIds: [this.workloadSecurityGroup.securityGroupId], Subnets: this.vpc.isolatedSubnets.map((subnet) => subnet.subnetId) };
  }

  /** A VPC Lambda's role gets AWSLambdaVPCAccessExecutionRole from CDK. */
  acknowledgeFunction(fn: IConstruct): void {
    acknowledgeRule(
      fn,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      'CDK attaches AWSLambdaVPCAccessExecutionRole to VPC functions: the Lambda service creates and deletes the function\'s network interfaces with it; nothing else.',
    );
  }

  /**
   * SageMaker (training, transform, hosting) and Glue create network interfaces in our subnets with
   * the role they run as. Describe* has no resource-level permissions; create/delete are limited
   * to this VPC's subnets and security group.
   */
  grantNetworkInterfaces(role: iam.IRole, service: 'sagemaker' | 'glue'): void {
    const stack = Stack.of(this);
    const policy = new iam.Policy(this, `${service === 'sagemaker' ? 'SageMaker' : 'Glue'}NetworkInterfaces`, {
      statements: [
        new iam.PolicyStatement({ sid: 'DescribeNetwork', actions: ENI_DESCRIBE_ACTIONS, resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'NetworkInterfacesInPricesenseVpc',
          actions: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission', 'ec2:CreateTags'],
          resources: [
            ...this.vpc.isolatedSubnets.map((subnet) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: subnet.subnetId })),
            stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: this.workloadSecurityGroup.securityGroupId }),
            stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }),
          ],
        }),
      ],
    });
    policy.attachToRole(role);
    acknowledgeFindings(policy, {
      'Resource::*': 'ec2:Describe* calls that SageMaker and Glue make before attaching to a VPC have no resource-level permissions',
      [`Resource::arn:<AWS::Partition>:ec2:${stack.region}:<AWS::AccountId>:network-interface/*`]:
        'network interface ids are created by the service at run time; creation is also bound to this VPC\'s subnets and security group',
    });
  }
}
