import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/asl/clock.js';
import { TaskFailedError, type TaskInvocation } from '../../../local/asl/task-dispatch.js';
import { AwsServiceError, type AwsServiceEmulator } from '../../../local/aws/emulator.js';
import { LambdaEmulator } from '../../../local/aws/lambda.js';
import { LocalAws } from '../../../local/aws/registry.js';
import { createLocalTaskRegistry } from '../../../local/task-integrations/task-registry.js';

function invocation(resource: string, parameters: unknown): TaskInvocation & { submittedWith: unknown[] } {
  const submittedWith: unknown[] = [];
  return {
    stateName: 'State',
    resource,
    parameters,
    context: {} as TaskInvocation['context'],
    attempt: 0,
    signal: new AbortController().signal,
    submitted: (response) => submittedWith.push(response),
    heartbeat: () => undefined,
    submittedWith,
  };
}

function fake(service: string, handlers: Record<string, (input: Record<string, unknown>) => Record<string, unknown>>): AwsServiceEmulator {
  return { service, actions: Object.keys(handlers), call: async (action, input) => handlers[action]!(input) };
}

async function run(localAws: LocalAws, resource: string, parameters: unknown) {
  const registry = createLocalTaskRegistry(localAws, { pollIntervalMs: 200, clock: new VirtualClock() });
  const handler = registry.handlerFor({ stateName: 'State', resource });
  if (!handler) throw new Error(`no handler for ${resource}`);
  const inv = invocation(resource, parameters);
  return { result: await handler(inv), submitted: inv.submittedWith };
}

async function failure(promise: Promise<unknown>): Promise<TaskFailedError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof TaskFailedError)) throw new Error(`expected TaskFailedError, got ${String(error)}`);
  return error;
}

describe('aws-sdk integrations', () => {
  it('calls the PascalCase action and returns its output with ISO dates', async () => {
    const aws = new LocalAws().register(fake('s3', { HeadObject: (input) => ({ ContentLength: 5, LastModified: new Date('2024-01-02T03:04:05Z'), Key: input.Key }) }));
    const { result } = await run(aws, 'arn:aws:states:::aws-sdk:s3:headObject', { Bucket: 'b', Key: 'k' });
    expect(result).toEqual({ ContentLength: 5, LastModified: '2024-01-02T03:04:05.000Z', Key: 'k' });
  });

  it('names errors <Service>.<Code>Exception with the message as cause', async () => {
    const aws = new LocalAws().register(fake('s3', { GetObject: () => { throw new AwsServiceError('NoSuchKey', 'The specified key does not exist'); } }));
    const error = await failure(run(aws, 'arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k' }));
    expect([error.error, error.cause]).toEqual(['S3.NoSuchKeyException', 'The specified key does not exist']);
  });

  it('keeps an existing Exception suffix and uses the SDK service name', async () => {
    const aws = new LocalAws().register(fake('sagemaker', { DescribeEndpoint: () => { throw new AwsServiceError('ValidationException', 'Could not find endpoint'); } }));
    const error = await failure(run(aws, 'arn:aws:states:::aws-sdk:sagemaker:describeEndpoint', { EndpointName: 'e' }));
    expect(error.error).toBe('SageMaker.ValidationException');
  });

  it('returns S3 GetObject Body as text', async () => {
    const aws = new LocalAws().register(fake('s3', { GetObject: () => ({ Body: new TextEncoder().encode('a,b'), ContentLength: 3 }) }));
    const { result } = await run(aws, 'arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k' });
    expect(result).toEqual({ Body: 'a,b', ContentLength: 3 });
  });
});

describe('glue:startJobRun.sync', () => {
  const glue = (states: string[]) => {
    let polls = 0;
    return fake('glue', {
      StartJobRun: () => ({ JobRunId: 'jr_1' }),
      GetJobRun: (input) => ({ JobRun: { Id: input.RunId, JobName: input.JobName, JobRunState: states[Math.min(polls++, states.length - 1)], StartedOn: new Date(1000) } }),
    });
  };

  it('submits the start response and returns the finished JobRun', async () => {
    const { result, submitted } = await run(new LocalAws().register(glue(['RUNNING', 'SUCCEEDED'])), 'arn:aws:states:::glue:startJobRun.sync', { JobName: 'job' });
    expect(result).toEqual({ Id: 'jr_1', JobName: 'job', JobRunState: 'SUCCEEDED', StartedOn: 1000 });
    expect(submitted).toMatchObject([{ JobRunId: 'jr_1', SdkHttpMetadata: { HttpStatusCode: 200 } }]);
  });

  it('fails a FAILED run with States.TaskFailed and the JobRun as cause', async () => {
    const error = await failure(run(new LocalAws().register(glue(['FAILED'])), 'arn:aws:states:::glue:startJobRun.sync', { JobName: 'job' }));
    expect(error.error).toBe('States.TaskFailed');
    expect(JSON.parse(error.cause!)).toMatchObject({ Id: 'jr_1', JobRunState: 'FAILED' });
  });

  it('names start errors Glue.<Code>Exception', async () => {
    const aws = new LocalAws().register(fake('glue', { StartJobRun: () => { throw new AwsServiceError('ConcurrentRunsExceededException', 'Concurrent runs exceeded'); } }));
    const error = await failure(run(aws, 'arn:aws:states:::glue:startJobRun.sync', { JobName: 'job' }));
    expect(error.error).toBe('Glue.ConcurrentRunsExceededException');
  });
});

describe('athena:startQueryExecution.sync', () => {
  it('returns the GetQueryExecution output once the query succeeds', async () => {
    const aws = new LocalAws().register(
      fake('athena', {
        StartQueryExecution: () => ({ QueryExecutionId: 'q1' }),
        GetQueryExecution: () => ({ QueryExecution: { QueryExecutionId: 'q1', Status: { State: 'SUCCEEDED' } } }),
      }),
    );
    const { result } = await run(aws, 'arn:aws:states:::athena:startQueryExecution.sync', { QueryString: 'SELECT 1' });
    expect(result).toEqual({ QueryExecution: { QueryExecutionId: 'q1', Status: { State: 'SUCCEEDED' } } });
  });
});

describe('sagemaker:createTrainingJob.sync', () => {
  it('returns the DescribeTrainingJob output with epoch-millisecond times', async () => {
    const aws = new LocalAws().register(
      fake('sagemaker', {
        CreateTrainingJob: () => ({ TrainingJobArn: 'arn:job' }),
        DescribeTrainingJob: () => ({ TrainingJobName: 'j', TrainingJobArn: 'arn:job', TrainingJobStatus: 'Completed', TrainingEndTime: new Date(5000) }),
      }),
    );
    const { result, submitted } = await run(aws, 'arn:aws:states:::sagemaker:createTrainingJob.sync', { TrainingJobName: 'j' });
    expect(result).toEqual({ TrainingJobName: 'j', TrainingJobArn: 'arn:job', TrainingJobStatus: 'Completed', TrainingEndTime: 5000 });
    expect(submitted).toMatchObject([{ TrainingJobArn: 'arn:job' }]);
  });

  it('reuses its own completed job on redrive', async () => {
    const aws = new LocalAws().register(
      fake('sagemaker', {
        CreateTrainingJob: () => { throw new AwsServiceError('ResourceInUse', 'a training job with this name already exists'); },
        DescribeTrainingJob: () => ({ TrainingJobName: 'j', TrainingJobArn: 'arn:job', TrainingJobStatus: 'Completed' }),
      }),
    );
    const { result } = await run(aws, 'arn:aws:states:::sagemaker:createTrainingJob.sync', { TrainingJobName: 'j' });
    expect(result).toMatchObject({ TrainingJobStatus: 'Completed' });
  });

  it('fails a Failed job with States.TaskFailed', async () => {
    const aws = new LocalAws().register(
      fake('sagemaker', {
        CreateTrainingJob: () => ({ TrainingJobArn: 'arn:job' }),
        DescribeTrainingJob: () => ({ TrainingJobName: 'j', TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: bad csv' }),
      }),
    );
    const error = await failure(run(aws, 'arn:aws:states:::sagemaker:createTrainingJob.sync', { TrainingJobName: 'j' }));
    expect([error.error, JSON.parse(error.cause!).FailureReason]).toEqual(['States.TaskFailed', 'AlgorithmError: bad csv']);
  });

  it('reports unmodeled SageMaker errors as SageMaker.AmazonSageMakerException', async () => {
    const aws = new LocalAws().register(fake('sagemaker', { CreateModel: () => { throw new AwsServiceError('ValidationException', 'bad image'); } }));
    const error = await failure(run(aws, 'arn:aws:states:::sagemaker:createModel', { ModelName: 'm' }));
    expect(error.error).toBe('SageMaker.AmazonSageMakerException');
  });
});

describe('lambda integrations', () => {
  const lambdaAws = () => {
    const lambda = new LambdaEmulator({
      loadHandler: async () => async (event: unknown) => {
        if ((event as { fail?: boolean }).fail) {
          const error = new Error('raw file has no rows');
          error.name = 'InvalidRawFile';
          throw error;
        }
        return { ok: true };
      },
    });
    lambda.registerFunction({ name: 'validate', arn: 'arn:aws:lambda:us-east-1:000000000000:function:validate', serviceName: 'validate-input', environment: {} });
    return new LocalAws().register(lambda);
  };

  it('returns the Invoke envelope with the parsed Payload for lambda:invoke', async () => {
    const { result } = await run(lambdaAws(), 'arn:aws:states:::lambda:invoke', { FunctionName: 'validate', Payload: { a: 1 } });
    expect(result).toMatchObject({ ExecutedVersion: '$LATEST', Payload: { ok: true }, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 } });
  });

  it('fails with the function errorType and a JSON cause', async () => {
    const error = await failure(run(lambdaAws(), 'arn:aws:states:::lambda:invoke', { FunctionName: 'validate', Payload: { fail: true } }));
    expect(error.error).toBe('InvalidRawFile');
    expect(JSON.parse(error.cause!)).toMatchObject({ errorMessage: 'raw file has no rows', errorType: 'InvalidRawFile', trace: expect.any(Array) });
  });

  it('returns the bare payload for a function ARN resource', async () => {
    const { result } = await run(lambdaAws(), 'arn:aws:lambda:us-east-1:000000000000:function:validate', { a: 1 });
    expect(result).toEqual({ ok: true });
  });

  it('names an unknown function Lambda.ResourceNotFoundException', async () => {
    const error = await failure(run(lambdaAws(), 'arn:aws:states:::lambda:invoke', { FunctionName: 'ghost', Payload: {} }));
    expect(error.error).toBe('Lambda.ResourceNotFoundException');
  });
});

describe('other integrations', () => {
  it('names eks:call HTTP failures EKS.<status>', async () => {
    const aws = new LocalAws().register(fake('eks', { Call: () => { throw new AwsServiceError('404', '{"StatusCode":404}'); } }));
    const error = await failure(run(aws, 'arn:aws:states:::eks:call', { ClusterName: 'c', Method: 'GET', Path: '/x' }));
    expect([error.error, error.cause]).toEqual(['EKS.404', '{"StatusCode":404}']);
  });

  it('adds SDK metadata to sns:publish', async () => {
    const aws = new LocalAws().register(fake('sns', { Publish: () => ({ MessageId: 'm-1' }) }));
    const { result } = await run(aws, 'arn:aws:states:::sns:publish', { TopicArn: 't', Message: 'x' });
    expect(result).toMatchObject({ MessageId: 'm-1', SdkResponseMetadata: { RequestId: 'm-1' } });
  });

  it('has no handler for an unknown resource', () => {
    const registry = createLocalTaskRegistry(new LocalAws());
    expect(registry.handlerFor({ stateName: 'S', resource: 'arn:aws:states:::batch:submitJob.sync' })).toBeUndefined();
  });
});
