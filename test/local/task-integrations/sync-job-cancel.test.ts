/**
 * A `.sync` SageMaker task cancelled while its job runs (its Parallel branch stopped because the
 * other branch failed, or the execution stopped): Step Functions stops the job, best effort, with
 * the Stop* call the role is granted for it. Before, the local integration only stopped polling
 * and the job trained on.
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

async function startThenCancel(calls: string[], stopError?: AwsServiceError): Promise<unknown> {
  const clock = new VirtualClock();
  const registry = createLocalTaskRegistry(new LocalAws().register(sageMaker(calls, stopError)), { pollIntervalMs: 200, clock });
  const resource = 'arn:aws:states:::sagemaker:createTrainingJob.sync';
  const controller = new AbortController();
  let submitted!: () => void;
  const started = new Promise<void>((resolve) => (submitted = resolve));
  const invocation: TaskInvocation = {
    stateName: 'TrainModel',
    resource,
    parameters: { TrainingJobName: 'ps-train-x' },
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
});
