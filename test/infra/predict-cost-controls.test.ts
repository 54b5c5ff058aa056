/** The /predict cost controls that keep the deployment under budget (docs/COST.md), on the template. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TaskFunction } from '../../workflow/resource-names.js';
import { TaskEnv } from '../../workflow/task-environment.js';
import { synthForTest } from '../support/synth.js';

const { template } = synthForTest();
const assertions = Template.fromJSON(template);

function predictFunction(): { logicalId: string; variables: Record<string, unknown> } {
  const functions = assertions.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { [TaskEnv.ServiceName]: TaskFunction.Predict } } },
  });
  const [logicalId, resource] = Object.entries(functions)[0]!;
  return { logicalId, variables: (resource as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables };
}

describe('/predict cost controls', () => {
  it('logs one inference in ten for the drift check (config default)', () => {
    expect(predictFunction().variables[TaskEnv.InferenceLogSampleRate]).toBe('0.1');
  });

  it('traces 1 % of /predict requests through an X-Ray sampling rule for the API stage', () => {
    assertions.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({ RuleName: 'pricesense-predict', FixedRate: 0.01, ReservoirSize: 0, ServiceName: 'pricesense-predict/prod' }),
    });
  });

  it('lets the predict function read only the reference prices of gold runs, and find the served run through the endpoint', () => {
    const { logicalId, variables } = predictFunction();
    const policies = assertions.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp(`^${logicalId.replace(/[A-F0-9]{8}$/, '')}`) })]) } });
    const statements = Object.values(policies).flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }).Properties.PolicyDocument.Statement);
    const goldResources = statements.filter((statement) => JSON.stringify(statement.Resource).includes('GoldBucket')).flatMap((statement) => [statement.Resource].flat());
    const goldObjectResources = goldResources.map((resource) => JSON.stringify(resource)).filter((text) => text.includes('/'));

    expect(variables[TaskEnv.GoldBucket]).toEqual({ Ref: expect.stringMatching(/^GoldBucket/) });
    expect(variables[TaskEnv.ModelPackageGroupName]).toBe('pricesense-basket-price-sensitivity');
    expect(goldObjectResources.length).toBeGreaterThan(0);
    expect(goldObjectResources.every((text) => text.endsWith('/gold/run_id=*/serving/reference_prices.json\"]]}'))).toBe(true);
    expect(JSON.stringify(goldResources)).toContain('/gold/run_id=*/serving/reference_prices.json');
    expect(statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('sagemaker:Describe'))).flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel', 'sagemaker:DescribeModelPackage',
    ]);
  });
});
