/**
 * Local runs with IAM enforced (the default): a template variant that lacks one permission makes
 * the run fail at the state that needs it, with the error AWS gives there — an optimized or SDK
 * integration's error name, a task Lambda's SDK AccessDenied, a Glue or SageMaker job failing on
 * its service role, a Distributed Map that may not start its children.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { readEndpointRecord } from '../../../local/aws/sagemaker/endpoints.js';
import { parseRunArguments } from '../../../local/cli/commands/run.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { openLocalPipeline, startLocalExecution, type LocalPipeline } from '../../../local/pipeline-runner/local-pipeline.js';
import { cachedSynthesis } from '../../../local/backend/synthesis-cache.js';
import { DEFAULT_CONFIG, type DeepPartial, type PipelineConfig } from '../../../workflow/config.js';

const CONFIG: DeepPartial<PipelineConfig> = { thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 }, dataQuality: { minBaskets: 500 } };
const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-iam-'));
let baseTemplate: Template;
let input: { bucket: string; key: string };

interface Statement {
  Action: string | string[];
  Resource?: unknown;
}
interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
}

/** The synthesized template with `edit` applied to every statement of the role policies whose logical id matches. */
function variant(policyId: RegExp, edit: (statement: Statement) => Statement | undefined): Template {
  const template = structuredClone(baseTemplate);
  let edited = 0;
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!/^AWS::IAM::(Policy|ManagedPolicy)$/.test(resource.Type) || !policyId.test(logicalId)) continue;
    const statements = resource.Properties.PolicyDocument.Statement as Statement[];
    const next = statements.map((statement) => edit(statement)).filter((statement): statement is Statement => statement !== undefined);
    edited += statements.length - next.length + next.filter((statement, index) => statement !== statements[index]).length;
    resource.Properties.PolicyDocument.Statement = next;
  }
  if (edited === 0) throw new Error(`The variant changed nothing in policies matching ${policyId}`);
  return template;
}

const actions = (statement: Statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

async function runWith(template: Template, executionName: string): Promise<{ pipeline: LocalPipeline; result: Awaited<ReturnType<typeof startLocalExecution>> }> {
  const pipeline = await openLocalPipeline({ stateDir, config: CONFIG, template });
  const result = await startLocalExecution(pipeline, { input, executionName });
  return { pipeline, result };
}

/** The last Task failure of the run (before NotifyFailure), with the error and cause of its last attempt. */
function failedTask(result: Awaited<ReturnType<typeof startLocalExecution>>): { state: string | undefined; error?: string; cause?: string } {
  const events = result.history as unknown as Array<{ type: string; taskFailedEventDetails?: { error: string; cause: string }; stateEnteredEventDetails?: { name: string } }>;
  let current: string | undefined;
  let failed: { state: string | undefined; error?: string; cause?: string } = { state: undefined };
  for (const event of events) {
    if (event.type.endsWith('StateEntered')) current = event.stateEnteredEventDetails?.name;
    if (event.type === 'TaskFailed' && current !== 'NotifyFailure') failed = { state: current, ...event.taskFailedEventDetails };
  }
  return failed;
}

beforeAll(async () => {
  const synthesized = await cachedSynthesis(CONFIG);
  baseTemplate = synthesized.templates[synthesized.stackName] as Template;
  const pipeline = await openLocalPipeline({ stateDir, config: CONFIG });
  input = { bucket: pipeline.rawBucket, key: 'raw/week-1.csv' };
  await generateDataset({ rows: 20_000, seed: 7, labelNoise: 0.05, out: localObjectPath(stateDir, input.bucket, input.key) });
}, 180_000);

describe('a local run with IAM enforced', () => {
  it('fails at CreateEndpoint with SageMaker.SageMakerException when CreateEndpoint is granted on the endpoint only (D2)', async () => {
    const template = variant(/^PipelineStateMachineRole/, (statement) =>
      actions(statement).includes('sagemaker:CreateEndpoint') ? { ...statement, Resource: (statement.Resource as unknown[])[0] } : statement,
    );

    const { result, pipeline } = await runWith(template, 'iam-d2');

    expect(result.status).toBe('FAILED');
    // A denial is no "already existing endpoint": IsEndpointAlreadyCreated reports it.
    expect(result.path.slice(-4)).toEqual(['CreateEndpoint', 'IsEndpointAlreadyCreated', 'NotifyFailure', 'PipelineFailed']);
    const failure = failedTask(result);
    expect(failure.error).toBe('SageMaker.SageMakerException');
    expect(failure.cause).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/pipelinestatemachinerole\w+\/\w+ is not authorized to perform: sagemaker:CreateEndpoint on resource: arn:aws:sagemaker:us-east-1:000000000000:endpoint-config\/ps-epc-iam-d2 because no identity-based policy allows the sagemaker:CreateEndpoint action \(Service: SageMaker, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/,
    );
    expect(readEndpointRecord(stateDir, DEFAULT_CONFIG.endpointName)).toBeUndefined();
    expect(pipeline.iam?.stats.denials).toBeGreaterThan(0);
  }, 240_000);

  it("fails at ValidateInput when the validate-input role may not read raw/: the handler sees the SDK's AccessDenied", async () => {
    const template = variant(/^ValidateInputFunctionServiceRoleDefaultPolicy/, (statement) => (actions(statement).includes('s3:GetObject*') ? undefined : statement));

    const { result } = await runWith(template, 'iam-lambda-role');

    const failure = failedTask(result);
    expect(failure.state).toBe('ValidateInput');
    // validate-input reports an unreadable object as RawObjectNotFound, naming the access denial (S3
    // answers a missing key with 403 too when ListBucket is not allowed).
    expect(failure.error).toBe('RawObjectNotFound');
    expect(JSON.parse(failure.cause!).errorMessage).toContain(`The raw object s3://${input.bucket}/${input.key} is not readable (access denied`);
    expect(result.path).toEqual(['ValidateInput', 'NotifyFailure', 'PipelineFailed']);
  }, 120_000);

  it('fails at RawToSilver with the job run FAILED when the Glue role may not write the silver zone', async () => {
    const template = variant(/^GlueJobRoleDefaultPolicy/, (statement) =>
      actions(statement).includes('s3:PutObject') && JSON.stringify(statement.Resource).includes('SilverBucket') ? undefined : statement,
    );

    const { result } = await runWith(template, 'iam-glue-role');

    const failure = failedTask(result);
    expect(failure.state).toBe('RawToSilver');
    expect(failure.error).toBe('States.TaskFailed');
    const jobRun = JSON.parse(failure.cause!) as { JobRunState: string; ErrorMessage: string };
    expect(jobRun.JobRunState).toBe('FAILED');
    expect(jobRun.ErrorMessage).toMatch(/assumed-role\/gluejobrole\w+\/GlueJobRunnerSession is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::silverbucket\w+\//);
  }, 120_000);

  it('fails at TrainModel with the training job Failed when the SageMaker role may not read the gold zone', async () => {
    const template = variant(/^SageMakerExecutionRoleDefaultPolicy/, (statement) =>
      actions(statement).includes('s3:GetObject*') && JSON.stringify(statement.Resource).includes('GoldBucket') ? undefined : statement,
    );

    const { result } = await runWith(template, 'iam-sagemaker-role');

    const failure = failedTask(result);
    expect(failure.state).toBe('TrainModel');
    expect(failure.error).toBe('States.TaskFailed');
    const job = JSON.parse(failure.cause!) as { TrainingJobStatus: string; FailureReason: string };
    expect(job.TrainingJobStatus).toBe('Failed');
    expect(job.FailureReason).toMatch(/^ClientError: Data download failed: User: arn:aws:sts::000000000000:assumed-role\/sagemakerexecutionrole\w+\/SageMaker is not authorized to perform: s3:(ListBucket|GetObject) on resource: arn:aws:s3:::goldbucket/);
  }, 240_000);

  it('fails at IngestFeatures when the role may not start the Distributed Map child executions', async () => {
    const template = variant(/^PipelineStateMachineDistributedMapPolicy/, (statement) => (actions(statement).includes('states:StartExecution') ? undefined : statement));

    const { result } = await runWith(template, 'iam-distributed-map');

    // Decision: the Map state fails with States.Runtime (not catchable by States.ALL), as a Map Run
    // that cannot start does; no child execution runs.
    // IngestFeatures runs in a branch of IngestAndTrain, so TrainModel was entered beside it.
    expect([result.status, result.error]).toEqual(['FAILED', 'States.Runtime']);
    expect(result.path.slice(-3)).toEqual(['IngestAndTrain', 'IngestFeatures', 'TrainModel']);
    const events = result.history as unknown as Array<{ type: string }>;
    expect(events.some((event) => event.type === 'MapRunStarted')).toBe(false);
    expect(result.cause).toMatch(
      /^The Map Run could not start child executions: User: arn:aws:sts::000000000000:assumed-role\/pipelinestatemachinerole\w+\/\w+ is not authorized to perform: states:StartExecution on resource: arn:aws:states:us-east-1:000000000000:stateMachine:pricesense-pipeline because no identity-based policy allows the states:StartExecution action$/,
    );
  }, 180_000);
});

describe('--no-iam', () => {
  it('turns enforcement off for pricesense run; it is on by default', async () => {
    expect(parseRunArguments(['--no-iam']).iam).toBe(false);
    expect(parseRunArguments([]).iam).toBe(true);
    const off = await openLocalPipeline({ stateDir, config: CONFIG, iam: false });
    const on = await openLocalPipeline({ stateDir, config: CONFIG });

    expect(off.iam).toBeUndefined();
    expect(on.iam?.stateMachinePrincipal.roleArn).toMatch(/^arn:aws:iam::000000000000:role\/pipelinestatemachinerole/);
  }, 120_000);
});
