/**
 * A `.sync` task cancelled while its job runs (its Parallel branch stopped because the other
 * branch failed, or the execution stopped): Step Functions stops the job, best effort, with the
 * Stop* call the role is granted for it (SageMaker jobs, Athena queries, Glue job runs). Before, the local
 * integrations only stopped polling and the job ran on.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/asl/clock.js';
import type { TaskInvocation } from '../../../local/asl/task-dispatch.js';
import { AwsServiceError, type AwsServiceEmulator } from '../../../local/aws/emulator.js';
import { LocalAws } from '../../../local/aws/registry.js';
import { createLocalTaskRegistry } from '../../../local/task-integrations/task-registry.js';

/** A SageMaker whose jobs stay InProgress until stopped; it records every call. */
function sageMaker(calls: string[], stopError?: AwsServiceError): AwsServiceEmulator {
  let status = 'InProgress';
  const record = (action: string, input: Record<string, unknown>) => calls.push(`${action} ${JSON.stringify(input)}`);
  return {
    service: 'sagemaker',
    actions: ['CreateTrainingJob', 'DescribeTrainingJob', 'StopTrainingJob'],
    call: async (action, input) => {
      record(action, input);
      if (action === 'CreateTrainingJob') return { TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/ps-train-x' };
      if (action === 'StopTrainingJob') {
        if (stopError) throw stopError;
        status = 'Stopped';
        return {};
      }
      return { TrainingJobName: 'ps-train-x', TrainingJobStatus: status };
    },
  };
}

/** An Athena whose queries stay RUNNING until stopped; it records every call. */
function athena(calls: string[]): AwsServiceEmulator {
  let state = 'RUNNING';
  return {
    service: 'athena',
    actions: ['StartQueryExecution', 'GetQueryExecution', 'StopQueryExecution'],
    call: async (action, input) => {
      calls.push(`${action} ${JSON.stringify(input)}`);
      if (action === 'StartQueryExecution') return { QueryExecutionId: 'q-1' };
      if (action === 'StopQueryExecution') {
        state = 'CANCELLED';
        return {};
      }
      return { QueryExecution: { QueryExecutionId: 'q-1', Status: { State: state } } };
    },
  };
}

/** A Glue whose job runs stay RUNNING until stopped; it records every call. */
function glue(calls: string[]): AwsServiceEmulator {
  let state = 'RUNNING';
  return {
    service: 'glue',
    actions: ['StartJobRun', 'GetJobRun', 'BatchStopJobRun'],
    call: async (action, input) => {
      calls.push(`${action} ${JSON.stringify(input)}`);
      if (action === 'StartJobRun') return { JobRunId: 'jr_1' };
      if (action === 'BatchStopJobRun') {
        state = 'STOPPED';
        return { SuccessfulSubmissions: [{ JobName: input.JobName, JobRunId: 'jr_1' }], Errors: [] };
      }
      return { JobRun: { Id: 'jr_1', JobName: input.JobName, JobRunState: state } };
    },
  };
}

async function startThenCancel(
  calls: string[],
  stopError?: AwsServiceError,
  target: { service: AwsServiceEmulator; resource: string; parameters: object } = {
    service: sageMaker(calls, stopError),
    resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
    parameters: { TrainingJobName: 'ps-train-x' },
  },
): Promise<unknown> {
  const clock = new VirtualClock();
  const registry = createLocalTaskRegistry(new LocalAws().register(target.service), { pollIntervalMs: 200, clock });
  const resource = target.resource;
  const controller = new AbortController();
  let submitted!: () => void;
  const started = new Promise<void>((resolve) => (submitted = resolve));
  const invocation: TaskInvocation = {
    stateName: 'TrainModel',
    resource,
    parameters: target.parameters,
    context: {} as TaskInvocation['context'],
    attempt: 0,
    signal: controller.signal,
    submitted: () => submitted(),
    heartbeat: () => undefined,
  };
  const outcome = registry.handlerFor({ stateName: 'TrainModel', resource })!(invocation).catch((error: unknown) => error);
  await started;
  controller.abort(new Error('branch cancelled'));
  return outcome;
}

describe('a cancelled .sync SageMaker job', () => {
  it('is stopped with StopTrainingJob under its name, and the task ends with the cancellation', async () => {
    const calls: string[] = [];
    const outcome = await startThenCancel(calls);

    expect(calls.filter((call) => call.startsWith('StopTrainingJob'))).toEqual(['StopTrainingJob {"TrainingJobName":"ps-train-x"}']);
    expect(outcome).toBeInstanceOf(Error);
  });

  it('ends the task the same way when the stop itself fails (best effort)', async () => {
    const calls: string[] = [];
    const outcome = await startThenCancel(calls, new AwsServiceError('AccessDeniedException', 'not authorized to perform: sagemaker:StopTrainingJob'));

    expect(calls.some((call) => call.startsWith('StopTrainingJob'))).toBe(true);
    expect(outcome).toBeInstanceOf(Error);
  });

  it('stops a cancelled Athena query with StopQueryExecution', async () => {
    const calls: string[] = [];
    const outcome = await startThenCancel(calls, undefined, {
      service: athena(calls),
      resource: 'arn:aws:states:::athena:startQueryExecution.sync',
      parameters: { QueryString: 'SELECT 1', WorkGroup: 'wg' },
    });

    expect(calls.filter((call) => call.startsWith('StopQueryExecution'))).toEqual(['StopQueryExecution {"QueryExecutionId":"q-1"}']);
    expect(outcome).toBeInstanceOf(Error);
  });

  it('stops a cancelled Glue job run with BatchStopJobRun', async () => {
    const calls: string[] = [];
    const outcome = await startThenCancel(calls, undefined, {
      service: glue(calls),
      resource: 'arn:aws:states:::glue:startJobRun.sync',
      parameters: { JobName: 'pricesense-raw-to-silver' },
    });

    expect(calls.filter((call) => call.startsWith('BatchStopJobRun'))).toEqual(['BatchStopJobRun {"JobName":"pricesense-raw-to-silver","JobRunIds":["jr_1"]}']);
    expect(outcome).toBeInstanceOf(Error);
  });
});
