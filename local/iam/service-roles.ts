/**
 * What service roles do on the caller's behalf: a SageMaker training job reads its channels and
 * writes the model as the job's RoleArn; a transform job reads the model artifact and its input
 * and writes its output as the model's ExecutionRoleArn; a Glue job run reads its script, extra
 * files and input zone and writes its output zone as the job's Role. On AWS a denial there does
 * not fail the create call: the job starts and then fails, and the `.sync` Task fails with
 * States.TaskFailed and the Describe output as the cause. This layer sits between the state
 * machine's (authorized) calls and the emulators and does the same: a job whose role is denied is
 * never handed to the emulator; its Describe/GetJobRun answers Failed with the reason.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsServiceError } from '../aws/emulator.js';
import type { LocalAws } from '../aws/registry.js';
import { parseS3Uri } from '../aws/s3-location.js';
import { parseTuningRequest } from '../aws/sagemaker/tuning-request.js';
import { GlueJob, GlueJobArgument } from '../../workflow/resource-names.js';
import { athenaAccess } from './athena-access.js';
import type { Principal } from './authorizer.js';
import { s3List, s3Read, s3Write, type IamRequest } from './call-requests.js';
import type { IamEnforcement } from './enforcement.js';
import { IamAccessDeniedError } from './denials.js';

type Input = Record<string, unknown>;

/** Which job arguments each Glue job reads and writes (as its script and local runner do). */
const GLUE_DATA_ARGUMENTS: Record<string, { reads: string[]; writes: string[] }> = {
  [GlueJob.RawToSilver]: { reads: [GlueJobArgument.RawUri], writes: [GlueJobArgument.SilverUri] },
  [GlueJob.SilverToGold]: { reads: [GlueJobArgument.SilverUri], writes: [GlueJobArgument.GoldUri] },
};

interface FailedJob {
  reason: string;
  input: Input;
  arn: string;
  created: Date;
}

export class ServiceRoleChecks {
  private readonly failedTraining = new Map<string, FailedJob>();
  private readonly failedTransforms = new Map<string, FailedJob>();
  private readonly failedTuning = new Map<string, FailedJob>();
  private readonly failedGlueRuns = new Map<string, FailedJob>();
  private readonly failedEndpoints = new Map<string, FailedJob>();
  private readonly failedQueries = new Map<string, FailedJob>();

  constructor(
    private readonly enforcement: IamEnforcement,
    private readonly localAws: LocalAws,
    private readonly listObjectKeys: (bucket: string, prefix: string) => Promise<string[]> = async (bucket, prefix) => {
      const keys: string[] = [];
      let token: unknown;
      do {
        const page = (await localAws
          .call('s3', 'ListObjectsV2', { Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })
          .catch(() => ({ Contents: [] }))) as { Contents?: Array<{ Key: string }>; NextContinuationToken?: string };
        keys.push(...(page.Contents ?? []).map((object) => object.Key));
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    },
  ) {}

  async call(service: string, action: string, input: Input): Promise<Record<string, unknown>> {
    const key = `${service}:${action}`;
    switch (key) {
      case 'sagemaker:CreateTrainingJob':
        return this.createTraining(input);
      case 'sagemaker:DescribeTrainingJob': {
        const failed = this.failedTraining.get(String(input.TrainingJobName));
        return failed ? describeFailedTraining(failed) : this.localAws.call(service, action, input);
      }
      case 'sagemaker:CreateHyperParameterTuningJob':
        return this.createTuning(input);
      case 'sagemaker:DescribeHyperParameterTuningJob': {
        const failed = this.failedTuning.get(String(input.HyperParameterTuningJobName));
        return failed ? describeFailedTuning(failed) : this.localAws.call(service, action, input);
      }
      case 'sagemaker:CreateTransformJob':
        return this.createTransform(input);
      case 'sagemaker:DescribeTransformJob': {
        const failed = this.failedTransforms.get(String(input.TransformJobName));
        return failed ? describeFailedTransform(failed) : this.localAws.call(service, action, input);
      }
      case 'sagemaker:CreateEndpoint':
        return this.createEndpoint(input);
      case 'sagemaker:DescribeEndpoint': {
        const failed = this.failedEndpoints.get(String(input.EndpointName));
        return failed ? describeFailedEndpoint(failed) : this.localAws.call(service, action, input);
      }
      case 'athena:StartQueryExecution':
        return this.startQuery(input);
      case 'athena:GetQueryExecution': {
        const failed = this.failedQueries.get(String(input.QueryExecutionId));
        return failed ? { QueryExecution: failedQueryView(String(input.QueryExecutionId), failed) } : this.localAws.call(service, action, input);
      }
      case 'athena:GetQueryResults':
        if (this.failedQueries.has(String(input.QueryExecutionId))) {
          throw new AwsServiceError('InvalidRequestException', 'Query did not finish successfully. Final query state: FAILED');
        }
        return this.localAws.call(service, action, input);
      case 'glue:StartJobRun':
        return this.startGlueRun(input);
      case 'glue:GetJobRun': {
        const failed = this.failedGlueRuns.get(String(input.RunId));
        return failed ? getFailedGlueRun(String(input.RunId), failed) : this.localAws.call(service, action, input);
      }
      default: {
        const output = await this.localAws.call(service, action, input);
        if (key === 'athena:StartQueryExecution') this.enforcement.env.queryWorkgroups.set(String(output.QueryExecutionId), String(input.WorkGroup ?? 'primary'));
        return output;
      }
    }
  }

  /** The reason AWS would give, or undefined when the role may do all of it. */
  private async denialOf(principal: Principal, requests: IamRequest[]): Promise<string | undefined> {
    try {
      await this.enforcement.authorizeRequests(principal, 's3', requests);
      return undefined;
    } catch (error) {
      if (error instanceof IamAccessDeniedError) return error.message;
      throw error;
    }
  }

  /** Reads of every object under an S3 prefix (the objects that exist now), plus the listing. */
  private async prefixReads(uri: string): Promise<IamRequest[]> {
    const { bucket, key } = parseS3Uri(uri);
    const keys = await this.listObjectKeys(bucket, key).catch(() => []);
    return [s3List(this.enforcement.env, bucket, key), ...(keys.length > 0 ? keys : [key]).flatMap((objectKey) => s3Read(this.enforcement.env, bucket, objectKey))];
  }

  private writeUnder(uri: string, file: string): IamRequest[] {
    const { bucket, key } = parseS3Uri(uri);
    return s3Write(this.enforcement.env, bucket, `${key.replace(/\/?$/, '/')}${file}`);
  }

  /** Why a training job run as this role could not read its channels or write its model, or undefined. */
  private async trainingRoleDenial(job: Input, jobName: string): Promise<string | undefined> {
    const channels = (job.InputDataConfig ?? []) as Array<{ DataSource?: { S3DataSource?: { S3Uri?: string } } }>;
    const reads = (await Promise.all(channels.map((channel) => channel.DataSource?.S3DataSource?.S3Uri).filter((uri): uri is string => typeof uri === 'string').map((uri) => this.prefixReads(uri)))).flat();
    const outputPath = String((job.OutputDataConfig as Input | undefined)?.S3OutputPath ?? '');
    const writes = outputPath.startsWith('s3://') ? this.writeUnder(outputPath, `${jobName}/output/model.tar.gz`) : [];
    const denial = await this.denialOf({ roleArn: String(job.RoleArn), sessionName: 'SageMaker' }, [...reads, ...writes]);
    if (!denial) return undefined;
    const phase = reads.length > 0 && denial.includes(':s3:::') && !denial.includes('s3:PutObject') ? 'Data download failed' : 'Failed to upload model artifacts';
    return `ClientError: ${phase}: ${denial}`;
  }

  private async createTraining(input: Input): Promise<Record<string, unknown>> {
    const name = String(input.TrainingJobName);
    const reason = await this.trainingRoleDenial(input, name);
    if (!reason) return this.localAws.call('sagemaker', 'CreateTrainingJob', input);
    const arn = `arn:aws:sagemaker:${this.enforcement.env.region}:${this.enforcement.env.account}:training-job/${name.toLowerCase()}`;
    this.failedTraining.set(name, { reason, input, arn, created: new Date() });
    return { TrainingJobArn: arn };
  }

  /**
   * A tuning job's trials run as TrainingJobDefinition.RoleArn: when that role cannot read the
   * channels or write a trial's model, every trial fails on AWS and so does the tuning job. A bad
   * request still fails the call itself: it is validated first.
   */
  private async createTuning(input: Input): Promise<Record<string, unknown>> {
    parseTuningRequest(input);
    const name = String(input.HyperParameterTuningJobName);
    const definition = (input.TrainingJobDefinition ?? {}) as Input;
    const reason = await this.trainingRoleDenial(definition, `${name}-001-00000000`);
    if (!reason) return this.localAws.call('sagemaker', 'CreateHyperParameterTuningJob', input);
    const arn = `arn:aws:sagemaker:${this.enforcement.env.region}:${this.enforcement.env.account}:hyper-parameter-tuning-job/${name.toLowerCase()}`;
    this.failedTuning.set(name, { reason: `No training job succeeded after 1 attempts. Last failure: ${reason}`, input, arn, created: new Date() });
    return { HyperParameterTuningJobArn: arn };
  }

  private async createTransform(input: Input): Promise<Record<string, unknown>> {
    const name = String(input.TransformJobName);
    const model = await this.localAws.call('sagemaker', 'DescribeModel', { ModelName: input.ModelName }).catch(() => undefined);
    if (!model) return this.localAws.call('sagemaker', 'CreateTransformJob', input);
    const modelData = (model.PrimaryContainer as Input | undefined)?.ModelDataUrl;
    const source = ((input.TransformInput as Input | undefined)?.DataSource as Input | undefined)?.S3DataSource as Input | undefined;
    const outputPath = String((input.TransformOutput as Input | undefined)?.S3OutputPath ?? '');
    const requests = [
      ...(typeof modelData === 'string' ? (({ bucket, key }) => s3Read(this.enforcement.env, bucket, key))(parseS3Uri(modelData)) : []),
      ...(typeof source?.S3Uri === 'string' ? await this.prefixReads(source.S3Uri) : []),
      ...(outputPath.startsWith('s3://') ? this.writeUnder(outputPath, 'output.out') : []),
    ];
    const denial = await this.denialOf({ roleArn: String(model.ExecutionRoleArn), sessionName: 'SageMaker' }, requests);
    if (!denial) return this.localAws.call('sagemaker', 'CreateTransformJob', input);
    const arn = `arn:aws:sagemaker:${this.enforcement.env.region}:${this.enforcement.env.account}:transform-job/${name.toLowerCase()}`;
    this.failedTransforms.set(name, { reason: `ClientError: ${denial}`, input, arn, created: new Date() });
    return { TransformJobArn: arn };
  }

  /**
   * Hosting reads each variant's model artifact as the model's ExecutionRoleArn. On AWS the endpoint
   * is created and goes Failed with the reason below (UpdateEndpoint is not checked here: AWS keeps
   * the old fleet serving and reports the failure, which this layer does not model).
   */
  private async createEndpoint(input: Input): Promise<Record<string, unknown>> {
    const config = await this.localAws.call('sagemaker', 'DescribeEndpointConfig', { EndpointConfigName: input.EndpointConfigName }).catch(() => undefined);
    const variants = (config?.ProductionVariants ?? []) as Array<{ ModelName?: string }>;
    for (const variant of variants) {
      const model = await this.localAws.call('sagemaker', 'DescribeModel', { ModelName: variant.ModelName }).catch(() => undefined);
      const modelData = (model?.PrimaryContainer as Input | undefined)?.ModelDataUrl;
      if (!model || typeof modelData !== 'string') continue;
      const { bucket, key } = parseS3Uri(modelData);
      const denial = await this.denialOf({ roleArn: String(model.ExecutionRoleArn), sessionName: 'SageMaker' }, s3Read(this.enforcement.env, bucket, key));
      if (!denial) continue;
      const name = String(input.EndpointName);
      const arn = `arn:aws:sagemaker:${this.enforcement.env.region}:${this.enforcement.env.account}:endpoint/${name.toLowerCase()}`;
      const reason =
        `Failed to download model data for container "container_1" from URL: "${modelData}". ` +
        'Please ensure that there is an object located at the URL and that the role passed to CreateModel has permissions to download the object.';
      this.failedEndpoints.set(name, { reason, input, arn, created: new Date() });
      return { EndpointArn: arn };
    }
    return this.localAws.call('sagemaker', 'CreateEndpoint', input);
  }

  /** Athena works with the caller's (the state machine role's) permissions: see athena-access.ts. */
  private async startQuery(input: Input): Promise<Record<string, unknown>> {
    const id = randomUUID();
    const access = await athenaAccess(this.enforcement.names, this.enforcement.env, input, id, async (bucket, prefix) =>
      (await this.listObjectKeys(bucket, prefix).catch(() => []))[0],
    );
    const denial = await this.enforcement.authorizer.firstDenial(this.enforcement.stateMachinePrincipal, access.requests);
    if (!denial) {
      const output = await this.localAws.call('athena', 'StartQueryExecution', input);
      this.enforcement.env.queryWorkgroups.set(String(output.QueryExecutionId), String(input.WorkGroup ?? 'primary'));
      return output;
    }
    this.enforcement.env.queryWorkgroups.set(id, String(input.WorkGroup ?? 'primary'));
    this.failedQueries.set(id, { reason: access.reasonFor(denial.request, denial.message), input, arn: id, created: new Date() });
    return { QueryExecutionId: id };
  }


  private async startGlueRun(input: Input): Promise<Record<string, unknown>> {
    const jobName = String(input.JobName);
    const roleArn = this.enforcement.iam.glueJobRoles.get(jobName);
    const job = roleArn ? ((await this.localAws.call('glue', 'GetJob', { JobName: jobName }).catch(() => undefined))?.Job as Input | undefined) : undefined;
    if (!roleArn || !job) return this.localAws.call('glue', 'StartJobRun', input);
    const args = { ...((job.DefaultArguments ?? {}) as Record<string, string>), ...((input.Arguments ?? {}) as Record<string, string>) };
    const script = (job.Command as Input | undefined)?.ScriptLocation;
    const extraFiles = (args['--extra-py-files'] ?? '').split(',').filter((uri) => uri.startsWith('s3://'));
    const data = GLUE_DATA_ARGUMENTS[jobName] ?? { reads: [], writes: [] };
    const objectRead = (uri: string) => (({ bucket, key }) => s3Read(this.enforcement.env, bucket, key))(parseS3Uri(uri));
    const requests = [
      ...(typeof script === 'string' && script.startsWith('s3://') ? objectRead(script) : []),
      ...extraFiles.flatMap(objectRead),
      ...(await Promise.all(data.reads.filter((name) => args[name]?.startsWith('s3://')).map((name) => this.prefixReads(args[name]!)))).flat(),
      ...data.writes.filter((name) => args[name]?.startsWith('s3://')).flatMap((name) => this.writeUnder(args[name]!, 'part-00000.snappy.parquet')),
    ];
    const denial = await this.denialOf({ roleArn, sessionName: 'GlueJobRunnerSession' }, requests);
    if (!denial) return this.localAws.call('glue', 'StartJobRun', input);
    const runId = `jr_${randomBytes(32).toString('hex')}`;
    this.failedGlueRuns.set(runId, {
      reason: `An error occurred while calling o87.parquet. ${denial} (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)`,
      input: { ...input, Arguments: args },
      arn: jobName,
      created: new Date(),
    });
    return { JobRunId: runId };
  }
}

function describeFailedTraining(job: FailedJob): Record<string, unknown> {
  return {
    TrainingJobName: job.input.TrainingJobName,
    TrainingJobArn: job.arn,
    TrainingJobStatus: 'Failed',
    SecondaryStatus: 'Failed',
    FailureReason: job.reason,
    AlgorithmSpecification: job.input.AlgorithmSpecification,
    RoleArn: job.input.RoleArn,
    InputDataConfig: job.input.InputDataConfig,
    OutputDataConfig: job.input.OutputDataConfig,
    ResourceConfig: job.input.ResourceConfig,
    StoppingCondition: job.input.StoppingCondition,
    HyperParameters: job.input.HyperParameters,
    CreationTime: job.created,
    TrainingEndTime: job.created,
    LastModifiedTime: job.created,
    ModelArtifacts: { S3ModelArtifacts: '' },
  };
}

function describeFailedTuning(job: FailedJob): Record<string, unknown> {
  return {
    HyperParameterTuningJobName: job.input.HyperParameterTuningJobName,
    HyperParameterTuningJobArn: job.arn,
    HyperParameterTuningJobConfig: job.input.HyperParameterTuningJobConfig,
    TrainingJobDefinition: job.input.TrainingJobDefinition,
    HyperParameterTuningJobStatus: 'Failed',
    CreationTime: job.created,
    HyperParameterTuningEndTime: job.created,
    LastModifiedTime: job.created,
    TrainingJobStatusCounters: { Completed: 0, InProgress: 0, RetryableError: 0, NonRetryableError: 1, Stopped: 0 },
    ObjectiveStatusCounters: { Succeeded: 0, Pending: 0, Failed: 1 },
    FailureReason: job.reason,
  };
}

function describeFailedTransform(job: FailedJob): Record<string, unknown> {
  return {
    TransformJobName: job.input.TransformJobName,
    TransformJobArn: job.arn,
    TransformJobStatus: 'Failed',
    FailureReason: job.reason,
    ModelName: job.input.ModelName,
    TransformInput: job.input.TransformInput,
    TransformOutput: job.input.TransformOutput,
    TransformResources: job.input.TransformResources,
    CreationTime: job.created,
    TransformEndTime: job.created,
  };
}

function failedQueryView(id: string, query: FailedJob): Record<string, unknown> {
  return {
    QueryExecutionId: id,
    Query: query.input.QueryString,
    StatementType: 'DML',
    QueryExecutionContext: query.input.QueryExecutionContext,
    Status: { State: 'FAILED', StateChangeReason: query.reason, SubmissionDateTime: query.created, CompletionDateTime: query.created },
    Statistics: { DataScannedInBytes: 0, EngineExecutionTimeInMillis: 0, TotalExecutionTimeInMillis: 0 },
    WorkGroup: query.input.WorkGroup ?? 'primary',
    ExecutionParameters: query.input.ExecutionParameters,
  };
}

function describeFailedEndpoint(endpoint: FailedJob): Record<string, unknown> {
  return {
    EndpointName: endpoint.input.EndpointName,
    EndpointArn: endpoint.arn,
    EndpointConfigName: endpoint.input.EndpointConfigName,
    EndpointStatus: 'Failed',
    FailureReason: endpoint.reason,
    CreationTime: endpoint.created,
    LastModifiedTime: endpoint.created,
  };
}

function getFailedGlueRun(runId: string, run: FailedJob): Record<string, unknown> {
  return {
    JobRun: {
      Id: runId,
      Attempt: 0,
      JobName: run.arn,
      StartedOn: run.created,
      LastModifiedOn: run.created,
      CompletedOn: run.created,
      JobRunState: 'FAILED',
      Arguments: run.input.Arguments,
      ErrorMessage: run.reason,
      ExecutionTime: 0,
    },
  };
}
