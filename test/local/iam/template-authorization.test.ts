/**
 * The synthesized template's roles and policies, authorized call by call with AWS's action and
 * resource data: what the state machine, the task Lambdas and the service roles may do, and the
 * exact error AWS gives when they may not.
 */
import { describe, expect, it } from 'vitest';
import { LocalAws } from '../../../local/aws/registry.js';
import { IamEnforcement } from '../../../local/iam/enforcement.js';
import { IamAccessDeniedError, optimizedIntegrationFailure, sdkIntegrationFailure } from '../../../local/iam/denials.js';
import { ManagedRuleDeniedError } from '../../../local/iam/managed-rules.js';
import { localResourceNames, resolveDefinition } from '../../../local/template/index.js';
import { synthForTest } from '../../support/synth.js';
import { denialOf } from '../../support/iam-denial.js';

function enforcementFor(template: object, stateMachineLogicalId: string): IamEnforcement {
  const names = localResourceNames(template);
  return new IamEnforcement({ names, stateMachineArn: names.get(stateMachineLogicalId)!.arn, localAws: new LocalAws() });
}

const synthesized = synthForTest();
const enforcement = enforcementFor(synthesized.template, synthesized.stateMachineLogicalId);
const names = localResourceNames(synthesized.template);
const ofType = (type: string, name?: RegExp) => [...names.values()].find((r) => r.type === type && (name === undefined || name.test(r.name)))!;
const functionRole = (service: string) =>
  enforcement.iam.functionRoles.get(
    [...names.values()].find((r) => r.type === 'AWS::Lambda::Function' && (r.properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables?.POWERTOOLS_SERVICE_NAME === service)!.name,
  )!;


describe('the state machine role of the synthesized template', () => {
  it('may create the endpoint: CreateEndpoint is granted on the endpoint and on its endpoint config (D2)', async () => {
    const denial = await denialOf(
      enforcement.authorizeCall(enforcement.stateMachinePrincipal, 'sagemaker', 'CreateEndpoint', {
        EndpointName: 'pricesense-basket-price-sensitivity',
        EndpointConfigName: 'ps-epc-run-20261206-1',
      }),
    );

    expect(denial?.message).toBeUndefined();
  });

  it('may start, poll and stop both Glue jobs (glue:startJobRun.sync)', async () => {
    for (const action of ['StartJobRun', 'GetJobRun', 'GetJobRuns', 'BatchStopJobRun']) {
      await expect(enforcement.authorizeCall(enforcement.stateMachinePrincipal, 'glue', action, { JobName: 'pricesense-raw-to-silver', RunId: 'jr_1' })).resolves.toBeUndefined();
    }
  });

  it('may start Distributed Map child executions of its own state machine', async () => {
    const registry = enforcement.taskRegistry({ handlerFor: () => undefined });
    const arn = names.get(synthesized.stateMachineLogicalId)!.arn;

    await expect(registry.authorizeChildExecutions!({ stateName: 'IngestFeatures', stateMachineArn: arn })).resolves.toBeUndefined();
  });

  it('may not create a training job outside its ps-train-* names, and says so as AWS does', async () => {
    const denial = await denialOf(
      enforcement.authorizeCall(enforcement.stateMachinePrincipal, 'sagemaker', 'CreateTrainingJob', {
        TrainingJobName: 'someone-elses-job',
        RoleArn: ofType('AWS::IAM::Role', /^sagemakerexecutionrole/).arn,
      }),
    );

    expect(denial?.name).toBe('AccessDeniedException');
    expect(denial?.$metadata.httpStatusCode).toBe(400);
    expect(denial?.message).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/pipelinestatemachinerole[a-z0-9]+\/[0-9a-f]{32} is not authorized to perform: sagemaker:CreateTrainingJob on resource: arn:aws:sagemaker:us-east-1:000000000000:training-job\/someone-elses-job because no identity-based policy allows the sagemaker:CreateTrainingJob action$/,
    );
  });

  it('may not pass a role other than the SageMaker execution role (iam:PassRole with iam:PassedToService)', async () => {
    const denial = await denialOf(
      enforcement.authorizeCall(enforcement.stateMachinePrincipal, 'sagemaker', 'CreateModel', {
        ModelName: 'ps-model-run-1',
        ExecutionRoleArn: ofType('AWS::IAM::Role', /^gluejobrole/).arn,
      }),
    );

    expect(denial?.message).toContain('is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role/gluejobrole');
  });
});

describe('creating the state machine (what AWS checks at deploy time)', () => {
  const definition = resolveDefinition(synthesized.template, synthesized.stateMachineLogicalId, names);

  it('the role may create the EventBridge managed rules its SageMaker .sync tasks need', async () => {
    await expect(enforcement.checkDeployment(definition)).resolves.toBeUndefined();
  });

  it('without events:PutRule on the managed rule, creation fails with AWS\'s "not authorized to create managed-rule"', async () => {
    const template = structuredClone(synthesized.template) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[] }> } } }> };
    for (const resource of Object.values(template.Resources)) {
      if (!/^AWS::IAM::(Policy|ManagedPolicy)$/.test(resource.Type)) continue;
      resource.Properties.PolicyDocument.Statement = resource.Properties.PolicyDocument.Statement.filter((statement) => !JSON.stringify(statement.Action).includes('events:PutRule'));
    }
    const variant = enforcementFor(template, synthesized.stateMachineLogicalId);

    const error = await variant.checkDeployment(definition).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ManagedRuleDeniedError);
    expect((error as Error).message).toMatch(
      /^CreateStateMachine would fail on AWS: 'arn:aws:iam::000000000000:role\/pipelinestatemachinerole\w+' is not authorized to create managed-rule\. \(Service: AWSStepFunctions; Status Code: 400; Error Code: AccessDeniedException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
    );
  });
});

describe('task Lambda roles', () => {
  it('validate-input may read raw/ objects of the raw bucket, including kms:Decrypt on the bucket key', async () => {
    const raw = ofType('AWS::S3::Bucket', /^rawbucket/).name;

    await expect(
      enforcement.authorizeCall({ roleArn: functionRole('validate-input'), sessionName: 'validate' }, 's3', 'GetObject', { Bucket: raw, Key: 'raw/week-1.csv' }),
    ).resolves.toBeUndefined();
  });

  it('validate-input may not write outside quarantine/: S3 answers AccessDenied (403)', async () => {
    const raw = ofType('AWS::S3::Bucket', /^rawbucket/).name;
    const denial = await denialOf(
      enforcement.authorizeCall({ roleArn: functionRole('validate-input'), sessionName: 'validateinputfunction' }, 's3', 'PutObject', { Bucket: raw, Key: 'raw/overwritten.csv' }),
    );

    expect(denial?.name).toBe('AccessDenied');
    expect(denial?.$metadata.httpStatusCode).toBe(403);
    expect(denial?.message).toContain(`is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::${raw}/raw/overwritten.csv because no identity-based policy allows the s3:PutObject action`);
  });

  it('a role with s3:GetObject but no key grant is refused kms:Decrypt by S3 for an SSE-KMS object', async () => {
    const template = structuredClone(synthesized.template) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[] }> } } }> };
    const policy = Object.values(template.Resources).find((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r).includes('ValidateInputFunctionServiceRole'))!;
    policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement.filter((statement) => !JSON.stringify(statement.Action).includes('kms:'));
    const variant = enforcementFor(template, synthesized.stateMachineLogicalId);
    const raw = ofType('AWS::S3::Bucket', /^rawbucket/).name;

    const denial = await denialOf(
      variant.authorizeCall({ roleArn: functionRole('validate-input'), sessionName: 'validateinputfunction' }, 's3', 'GetObject', { Bucket: raw, Key: 'raw/week-1.csv' }),
    );

    expect(denial?.name).toBe('AccessDenied');
    expect(denial?.message).toMatch(/is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]+ because no identity-based policy allows the kms:Decrypt action$/);
  });
});

describe('how a denial reaches Step Functions', () => {
  const denial = new IamAccessDeniedError('sagemaker', 'AccessDeniedException', 400, 'User: arn:aws:sts::000000000000:assumed-role/r/s is not authorized to perform: sagemaker:UpdateEndpoint on resource: arn:x');

  it('an optimized integration reports the SDK v1 base exception with a Java-style cause', () => {
    const failure = optimizedIntegrationFailure('sagemaker', denial);

    expect(failure.error).toBe('SageMaker.AmazonSageMakerException');
    expect(failure.cause).toMatch(/^User: .* on resource: arn:x \(Service: AmazonSageMaker; Status Code: 400; Error Code: AccessDeniedException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
  });

  it('an AWS SDK integration reports <Service>.<Service>Exception', () => {
    expect(sdkIntegrationFailure('sagemaker', denial).error).toBe('SageMaker.SageMakerException');
  });

  it('SNS keeps its modeled AuthorizationError', () => {
    const sns = new IamAccessDeniedError('sns', 'AuthorizationError', 403, 'User: x is not authorized to perform: SNS:Publish on resource: arn:y');

    expect(optimizedIntegrationFailure('sns', sns).error).toBe('SNS.AuthorizationErrorException');
  });
});

describe('the SageMaker execution role, when hosting reads the model artifact', () => {
  const artifacts = ofType('AWS::S3::Bucket', /^artifactsbucket/).name;
  const modelData = `s3://${artifacts}/training/ps-train-run-1/output/model.tar.gz`;

  /** Emulators answering the endpoint config and model the endpoint names; records CreateEndpoint calls. */
  function hosting(): { localAws: LocalAws; created: string[] } {
    const created: string[] = [];
    const localAws = new LocalAws().register({
      service: 'sagemaker',
      actions: ['DescribeEndpointConfig', 'DescribeModel', 'CreateEndpoint', 'DescribeEndpoint'],
      call: async (action, input) => {
        if (action === 'DescribeEndpointConfig') return { ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'ps-serve-run-1' }] };
        if (action === 'DescribeModel') return { ExecutionRoleArn: ofType('AWS::IAM::Role', /^sagemakerexecutionrole/).arn, PrimaryContainer: { ModelDataUrl: modelData } };
        if (action === 'CreateEndpoint') created.push(String(input.EndpointName));
        return { EndpointArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/pricesense-basket-price-sensitivity', EndpointStatus: 'Creating' };
      },
    });
    return { localAws, created };
  }
  const request = { EndpointName: 'pricesense-basket-price-sensitivity', EndpointConfigName: 'ps-epc-run-1' };

  it('creates the endpoint when the role may read the artifact', async () => {
    const { localAws, created } = hosting();
    const allowed = new IamEnforcement({ names, stateMachineArn: names.get(synthesized.stateMachineLogicalId)!.arn, localAws });

    await allowed.stateMachineAws.call('sagemaker', 'CreateEndpoint', request);

    expect(created).toEqual(['pricesense-basket-price-sensitivity']);
  });

  it('the endpoint goes Failed with SageMaker\'s model-download reason when the role may not read it', async () => {
    const template = structuredClone(synthesized.template) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }> };
    const policy = Object.entries(template.Resources).find(([id]) => id.startsWith('SageMakerExecutionRoleDefaultPolicy'))![1];
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      if (JSON.stringify(statement.Resource).includes('ArtifactsBucket') && Array.isArray(statement.Action)) statement.Action = statement.Action.filter((action) => action !== 's3:GetObject*');
    }
    const variantNames = localResourceNames(template);
    const { localAws, created } = hosting();
    const denied = new IamEnforcement({ names: variantNames, stateMachineArn: variantNames.get(synthesized.stateMachineLogicalId)!.arn, localAws });

    await denied.stateMachineAws.call('sagemaker', 'CreateEndpoint', request);
    const described = await denied.stateMachineAws.call('sagemaker', 'DescribeEndpoint', { EndpointName: request.EndpointName });

    expect(created).toEqual([]);
    expect(described).toMatchObject({
      EndpointStatus: 'Failed',
      FailureReason: `Failed to download model data for container "container_1" from URL: "${modelData}". Please ensure that there is an object located at the URL and that the role passed to CreateModel has permissions to download the object.`,
    });
  });
});

describe('Athena, which runs the data-quality query with the state machine role', () => {
  const query = { QueryString: 'WITH gold_run AS (SELECT * FROM pricesense.gold_baskets WHERE run_id = ?) SELECT count(*) FROM gold_run', WorkGroup: 'pricesense', ExecutionParameters: ['run-1'] };

  function athena(): { localAws: LocalAws; started: string[] } {
    const started: string[] = [];
    const localAws = new LocalAws()
      .register({ service: 's3', actions: ['ListObjectsV2'], call: async (_action, input) => ({ Contents: [{ Key: `${String(input.Prefix)}run-1/baskets/part-0.parquet` }] }) })
      .register({
        service: 'athena',
        actions: ['StartQueryExecution'],
        call: async () => {
          started.push('query');
          return { QueryExecutionId: 'q-1' };
        },
      });
    return { localAws, started };
  }

  it('runs the query when the role may read the catalog and gold data and write athena-results/', async () => {
    const { localAws, started } = athena();
    const allowed = new IamEnforcement({ names, stateMachineArn: names.get(synthesized.stateMachineLogicalId)!.arn, localAws });

    await allowed.stateMachineAws.call('athena', 'StartQueryExecution', query);

    expect(started).toEqual(['query']);
  });

  /** Emulators holding query q-1, started earlier (by another process) in `workGroup`. */
  function earlierQuery(workGroup: string): LocalAws {
    return new LocalAws().register({
      service: 'athena',
      actions: ['GetQueryExecution', 'GetQueryResults'],
      call: async (action) =>
        action === 'GetQueryExecution' ? { QueryExecution: { QueryExecutionId: 'q-1', WorkGroup: workGroup } } : { ResultSet: { Rows: [] } },
    });
  }

  it('reads the results of a query an earlier process started (a redrive after a kill): authorized on the query\'s workgroup', async () => {
    // A fresh enforcement, as in the redriving process: it never saw this query start.
    const redriving = new IamEnforcement({ names, stateMachineArn: names.get(synthesized.stateMachineLogicalId)!.arn, localAws: earlierQuery('pricesense') });

    const results = await redriving.stateMachineAws.call('athena', 'GetQueryResults', { QueryExecutionId: 'q-1' });

    expect(results).toEqual({ ResultSet: { Rows: [] } });
  });

  it('an earlier query in a workgroup the role may not use stays denied', async () => {
    const redriving = new IamEnforcement({ names, stateMachineArn: names.get(synthesized.stateMachineLogicalId)!.arn, localAws: earlierQuery('primary') });

    const denial = await denialOf(redriving.stateMachineAws.call('athena', 'GetQueryResults', { QueryExecutionId: 'q-1' }).then(() => undefined));

    expect(denial?.message).toMatch(/is not authorized to perform: athena:GetQueryResults on resource: arn:aws:athena:us-east-1:000000000000:workgroup\/primary /);
  });

  it('the query FAILS with Athena\'s output-location reason when the role may not write athena-results/', async () => {
    const template = structuredClone(synthesized.template) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }> };
    for (const resource of Object.values(template.Resources)) {
      if (!/^AWS::IAM::(Policy|ManagedPolicy)$/.test(resource.Type)) continue;
      resource.Properties.PolicyDocument.Statement = resource.Properties.PolicyDocument.Statement.filter(
        (statement) => !(JSON.stringify(statement.Resource).includes('/athena-results/*') && JSON.stringify(statement.Action).includes('s3:PutObject')),
      );
    }
    const variantNames = localResourceNames(template);
    const { localAws, started } = athena();
    const denied = new IamEnforcement({ names: variantNames, stateMachineArn: variantNames.get(synthesized.stateMachineLogicalId)!.arn, localAws });

    const { QueryExecutionId } = await denied.stateMachineAws.call('athena', 'StartQueryExecution', query);
    const { QueryExecution } = (await denied.stateMachineAws.call('athena', 'GetQueryExecution', { QueryExecutionId })) as { QueryExecution: { Status: { State: string; StateChangeReason: string } } };

    expect(started).toEqual([]);
    expect(QueryExecution.Status.State).toBe('FAILED');
    const artifacts = ofType('AWS::S3::Bucket', /^artifactsbucket/).name;
    expect(QueryExecution.Status.StateChangeReason).toBe(
      `Access denied when writing output to url: s3://${artifacts}/athena-results/${String(QueryExecutionId)}.csv . Please ensure you are allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access your KMS key`,
    );
  });
});
