/**
 * What is wrong with a merged configuration, one sentence per problem naming the field and what
 * was expected: values that would fail synth, deployment, or the run after training.
 */
import { tuningProblems } from './tuning-config.js';
import { ApprovalMode, DeployTarget, type EndpointConfig, type PipelineConfig, SERVERLESS_MAX_CONCURRENCY, SERVERLESS_MEMORY_SIZES_MB } from './config-types.js';

/** Every problem of the configuration, in a stable order; empty when it can work. */
export function configProblems(config: PipelineConfig): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(config.thresholds)) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      problems.push(`thresholds.${name} must be a number between 0 and 1, got ${JSON.stringify(value)}`);
    }
  }
  if (typeof config.inferenceLogSampleRate !== 'number' || !(config.inferenceLogSampleRate > 0 && config.inferenceLogSampleRate <= 1)) {
    problems.push(`inferenceLogSampleRate must be a number above 0 and at most 1, got ${JSON.stringify(config.inferenceLogSampleRate)}`);
  }
  if (!Object.values(DeployTarget).includes(config.deployTarget)) {
    problems.push(`deployTarget must be one of ${Object.values(DeployTarget).join(', ')}, got ${JSON.stringify(config.deployTarget)}`);
  }
  if (!Object.values(ApprovalMode).includes(config.approvalMode)) {
    problems.push(`approvalMode must be one of ${Object.values(ApprovalMode).join(', ')}, got ${JSON.stringify(config.approvalMode)}`);
  }
  if (config.training.useSpot && config.training.maxWaitSeconds <= config.training.maxRuntimeSeconds) {
    problems.push(
      `training.maxWaitSeconds (${config.training.maxWaitSeconds}) must exceed training.maxRuntimeSeconds (${config.training.maxRuntimeSeconds}) when useSpot is on`,
    );
  }
  if (!config.training.instanceType.startsWith('ml.')) {
    problems.push(`training.instanceType must start with "ml.", got ${JSON.stringify(config.training.instanceType)}`);
  }
  if (config.deployTarget === DeployTarget.Eks && config.eks.clusterName === '') {
    problems.push('eks.clusterName must name an existing EKS cluster when deployTarget is "eks"');
  }
  if (config.deployTarget === DeployTarget.Eks && (config.eks.endpoint === '' || config.eks.certificateAuthorityData === '')) {
    problems.push('eks.endpoint and eks.certificateAuthorityData must be set when deployTarget is "eks" (see `aws eks describe-cluster`)');
  }
  problems.push(...endpointProblems(config.endpoint));
  problems.push(...tuningProblems(config.training.tuning));
  problems.push(...operationalProblems(config));
  problems.push(...platformProblems(config));
  if (config.eks.oidcIssuer !== '' && !/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]+$/.test(config.eks.oidcIssuer)) {
    problems.push(`eks.oidcIssuer must be the cluster's OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<id>), got ${JSON.stringify(config.eks.oidcIssuer)}`);
  }
  return problems;
}

/** SageMaker resource names (endpoints, model package groups). */
const SAGEMAKER_RESOURCE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Values that synthesize but would fail or loop at run time, after training. */
function operationalProblems(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const wholeAtLeast = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) problems.push(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  };
  wholeAtLeast('eks.pollSeconds', config.eks.pollSeconds, 1);
  wholeAtLeast('eks.maxPolls', config.eks.maxPolls, 1);
  wholeAtLeast('ingestion.concurrency', config.ingestion.concurrency, 1);
  wholeAtLeast('ingestion.maxAttempts', config.ingestion.maxAttempts, 1);
  wholeAtLeast('ingestion.maxConcurrentFiles', config.ingestion.maxConcurrentFiles, 1);
  wholeAtLeast('ingestion.filesPerBatch', config.ingestion.filesPerBatch, 1);
  for (const field of ['endpointName', 'modelPackageGroupName'] as const) {
    if (!SAGEMAKER_RESOURCE_NAME.test(config[field])) {
      problems.push(`${field} must be 1-63 characters of letters, digits and single hyphens (SageMaker's name rule), got ${JSON.stringify(config[field])}`);
    }
  }
  return problems;
}

/** CI/CD, audit and network options (infra/cicd, infra/audit, infra/network). */
function platformProblems(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const { cicd, audit, network } = config;
  if (cicd.githubRepository !== '' && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(cicd.githubRepository)) {
    problems.push(`cicd.githubRepository must be "owner/name" of a GitHub repository, got ${JSON.stringify(cicd.githubRepository)}`);
  }
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(cicd.environment)) {
    problems.push(`cicd.environment must name a GitHub environment (letters, digits, . _ -), got ${JSON.stringify(cicd.environment)}`);
  }
  if (cicd.existingOidcProviderArn !== '' && !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(cicd.existingOidcProviderArn)) {
    problems.push(`cicd.existingOidcProviderArn must be the ARN of the token.actions.githubusercontent.com OIDC provider, got ${JSON.stringify(cicd.existingOidcProviderArn)}`);
  }
  if (!/^[a-z0-9]{1,10}$/.test(cicd.bootstrapQualifier)) {
    problems.push(`cicd.bootstrapQualifier must be 1-10 lowercase letters or digits (cdk bootstrap --qualifier), got ${JSON.stringify(cicd.bootstrapQualifier)}`);
  }
  if (!Number.isInteger(audit.retentionDays) || audit.retentionDays < 1) {
    problems.push(`audit.retentionDays must be a whole number of at least 1, got ${JSON.stringify(audit.retentionDays)}`);
  }
  if (!Number.isInteger(network.maxAzs) || network.maxAzs < 1 || network.maxAzs > 3) {
    problems.push(`network.maxAzs must be 1, 2 or 3, got ${JSON.stringify(network.maxAzs)}`);
  }
  for (const zone of network.availabilityZones) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(zone)) problems.push(`network.availabilityZones must hold zone names such as "us-east-1a", got ${JSON.stringify(zone)}`);
  }
  if (!/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/.test(network.cidr)) {
    problems.push(`network.cidr must be an IPv4 CIDR from /16 to /24, got ${JSON.stringify(network.cidr)}`);
  }
  return problems;
}

function endpointProblems(endpoint: EndpointConfig): string[] {
  const problems: string[] = [];
  const wholeAtLeast = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) problems.push(`endpoint.${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  };
  wholeAtLeast('initialInstanceCount', endpoint.initialInstanceCount, 1);
  wholeAtLeast('minInstances', endpoint.minInstances, 1);
  wholeAtLeast('maxInstances', endpoint.maxInstances, 1);
  wholeAtLeast('scaleInCooldownSeconds', endpoint.scaleInCooldownSeconds, 0);
  wholeAtLeast('scaleOutCooldownSeconds', endpoint.scaleOutCooldownSeconds, 0);
  wholeAtLeast('pollSeconds', endpoint.pollSeconds, 1);
  wholeAtLeast('maxPolls', endpoint.maxPolls, 1);
  // UpdateEndpoint takes TerminationWaitInSeconds up to 3600.
  if (!Number.isInteger(endpoint.terminationWaitMinutes) || endpoint.terminationWaitMinutes < 0 || endpoint.terminationWaitMinutes > 60) {
    problems.push(`endpoint.terminationWaitMinutes must be a whole number from 0 to 60, got ${JSON.stringify(endpoint.terminationWaitMinutes)}`);
  }
  if (endpoint.minInstances > endpoint.maxInstances) {
    problems.push(`endpoint.minInstances (${endpoint.minInstances}) must not exceed endpoint.maxInstances (${endpoint.maxInstances})`);
  }
  if (typeof endpoint.targetInvocationsPerInstance !== 'number' || !(endpoint.targetInvocationsPerInstance > 0)) {
    problems.push(`endpoint.targetInvocationsPerInstance must be a number above 0, got ${JSON.stringify(endpoint.targetInvocationsPerInstance)}`);
  }
  const serverless = endpoint.serverless;
  if (serverless !== undefined) {
    if (!(SERVERLESS_MEMORY_SIZES_MB as readonly number[]).includes(serverless.memorySizeInMb)) {
      problems.push(`endpoint.serverless.memorySizeInMb must be one of ${SERVERLESS_MEMORY_SIZES_MB.join(', ')}, got ${JSON.stringify(serverless.memorySizeInMb)}`);
    }
    if (!Number.isInteger(serverless.maxConcurrency) || serverless.maxConcurrency < 1 || serverless.maxConcurrency > SERVERLESS_MAX_CONCURRENCY) {
      problems.push(`endpoint.serverless.maxConcurrency must be a whole number from 1 to ${SERVERLESS_MAX_CONCURRENCY}, got ${JSON.stringify(serverless.maxConcurrency)}`);
    }
  }
  return problems;
}
