/**
 * Stopping a local execution as StopExecution stops one on AWS: the execution ends with
 * ExecutionAborted, and the jobs its `.sync` tasks started are stopped too (Step Functions stops
 * a SageMaker training, tuning or transform job, or an Athena query, when it stops the execution), so no
 * `xgboost` process keeps running after Ctrl-C.
 */
import type { LocalAws } from '../aws/registry.js';

/** Stops every job still in progress in this backend; returns what it stopped. */
export async function stopRunningJobs(localAws: LocalAws): Promise<string[]> {
  const stopped: string[] = [];
  // Tuning jobs first: a running tuning job would start its next trial when one is stopped.
  const tuning = (await localAws.call('sagemaker', 'ListHyperParameterTuningJobs', { StatusEquals: 'InProgress', MaxResults: 100 }).catch(() => ({}))) as {
    HyperParameterTuningJobSummaries?: Array<{ HyperParameterTuningJobName?: string }>;
  };
  for (const job of tuning.HyperParameterTuningJobSummaries ?? []) {
    if (!job.HyperParameterTuningJobName) continue;
    await localAws.call('sagemaker', 'StopHyperParameterTuningJob', { HyperParameterTuningJobName: job.HyperParameterTuningJobName }).then(
      () => stopped.push(`tuning job ${job.HyperParameterTuningJobName}`),
      () => undefined,
    );
  }
  const listed = (await localAws.call('sagemaker', 'ListTrainingJobs', { StatusEquals: 'InProgress', MaxResults: 100 }).catch(() => ({}))) as {
    TrainingJobSummaries?: Array<{ TrainingJobName?: string }>;
  };
  for (const job of listed.TrainingJobSummaries ?? []) {
    if (!job.TrainingJobName) continue;
    await localAws.call('sagemaker', 'StopTrainingJob', { TrainingJobName: job.TrainingJobName }).then(
      () => stopped.push(`training job ${job.TrainingJobName}`),
      () => undefined,
    );
  }
  return stopped;
}

export interface SignalAbort {
  signal: AbortSignal;
  /** Which signal stopped the run, once one did. */
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
}

/**
 * SIGINT/SIGTERM abort the execution instead of killing the process: the engine closes the history
 * with ExecutionAborted and the command prints how to redrive. A second signal exits at once.
 */
export function abortOnSignals(onFirst: (signal: NodeJS.Signals) => void, signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalAbort {
  const control = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (received) process.exit(130);
    received = signal;
    onFirst(signal);
    control.abort(`Stopped by ${signal}`);
  };
  for (const signal of signals) process.on(signal, handler);
  return {
    signal: control.signal,
    get received() {
      return received;
    },
    dispose: () => {
      for (const signal of signals) process.off(signal, handler);
    },
  };
}
