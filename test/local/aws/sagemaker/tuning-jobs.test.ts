import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingJobsEmulator } from '../../../../local/aws/sagemaker/training-jobs.js';
import { TuningJobsEmulator } from '../../../../local/aws/sagemaker/tuning-jobs.js';
import { LocalAws } from '../../../../local/aws/registry.js';
import { stopRunningJobs } from '../../../../local/pipeline-runner/run-lifecycle.js';
import { BUCKET, makeStateDir, pollUntilSettled, putObject, ROLE_ARN, tinyTrainingCsv, XGBOOST_IMAGE } from './helpers.js';

const IN_FLIGHT = ['InProgress', 'Stopping'];

function tuningRequest(name: string, overrides: { config?: Record<string, unknown>; definition?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    HyperParameterTuningJobName: name,
    HyperParameterTuningJobConfig: {
      Strategy: 'Bayesian',
      HyperParameterTuningJobObjective: { Type: 'Minimize', MetricName: 'validation:mlogloss' },
      ResourceLimits: { MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 2 },
      ParameterRanges: {
        ContinuousParameterRanges: [{ Name: 'eta', MinValue: '0.05', MaxValue: '0.5', ScalingType: 'Logarithmic' }],
        IntegerParameterRanges: [{ Name: 'max_depth', MinValue: '2', MaxValue: '5', ScalingType: 'Auto' }],
      },
      TrainingJobEarlyStoppingType: 'Off',
      ...overrides.config,
    },
    TrainingJobDefinition: {
      AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
      RoleArn: ROLE_ARN,
      StaticHyperParameters: { objective: 'multi:softprob', num_class: '3', num_round: '8', eval_metric: 'merror,mlogloss' },
      InputDataConfig: ['train', 'validation'].map((channel) => ({
        ChannelName: channel,
        ContentType: 'text/csv',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/gold/run_id=r1/xgboost/${channel}/`, S3DataDistributionType: 'FullyReplicated' } },
      })),
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/training/` },
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      EnableNetworkIsolation: true,
      ...overrides.definition,
    },
  };
}

describe('hyperparameter tuning jobs', () => {
  let stateDir: string;
  let cleanup: () => void;
  let training: TrainingJobsEmulator;
  let tuning: TuningJobsEmulator;
  let completed: Record<string, unknown>;
  let trials: Array<Record<string, unknown>>;

  beforeAll(async () => {
    ({ stateDir, cleanup } = makeStateDir());
    training = new TrainingJobsEmulator({ stateDir });
    tuning = new TuningJobsEmulator({ stateDir }, training);
    await putObject(stateDir, BUCKET, 'gold/run_id=r1/xgboost/train/part-00000.csv', tinyTrainingCsv(300, 1));
    await putObject(stateDir, BUCKET, 'gold/run_id=r1/xgboost/validation/part-00000.csv', tinyTrainingCsv(100, 3));
    await tuning.call('CreateHyperParameterTuningJob', tuningRequest('ps-tune-r1'));
    completed = await pollUntilSettled(() => tuning.call('DescribeHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-r1' }), 'HyperParameterTuningJobStatus', IN_FLIGHT);
    trials = (await tuning.call('ListTrainingJobsForHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-r1', SortBy: 'FinalObjectiveMetricValue', SortOrder: 'Ascending' }))
      .TrainingJobSummaries as Array<Record<string, unknown>>;
  }, 120_000);
  afterAll(() => cleanup());

  it('completes after running every trial as a real training job', () => {
    expect(completed).toMatchObject({
      HyperParameterTuningJobName: 'ps-tune-r1',
      HyperParameterTuningJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:hyper-parameter-tuning-job/ps-tune-r1',
      HyperParameterTuningJobStatus: 'Completed',
      TrainingJobStatusCounters: { Completed: 4, InProgress: 0, RetryableError: 0, NonRetryableError: 0, Stopped: 0 },
      ObjectiveStatusCounters: { Succeeded: 4, Pending: 0, Failed: 0 },
    });
    expect(trials).toHaveLength(4);
    expect(trials.map((trial) => trial.TrainingJobName)).toEqual(expect.arrayContaining([expect.stringMatching(/^ps-tune-r1-00[1-4]-[0-9a-f]{8}$/)]));
  });

  it('names the trial with the lowest validation:mlogloss the best training job', async () => {
    const best = completed.BestTrainingJob as Record<string, unknown>;
    expect(best.TrainingJobName).toBe(trials[0]!.TrainingJobName);
    const values = trials.map((trial) => (trial.FinalHyperParameterTuningJobObjectiveMetric as { Value: number }).Value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const described = await training.call('DescribeTrainingJob', { TrainingJobName: best.TrainingJobName });
    const finalLoss = (described.FinalMetricDataList as Array<{ MetricName: string; Value: number }>).find((metric) => metric.MetricName === 'validation:mlogloss')!.Value;
    expect(best.FinalHyperParameterTuningJobObjectiveMetric).toEqual({ Type: 'Minimize', MetricName: 'validation:mlogloss', Value: finalLoss });
    expect(described.HyperParameters).toMatchObject({ ...(best.TunedHyperParameters as object), num_round: '8', _tuning_objective_metric: 'validation:mlogloss' });
  });

  it('draws every tuned value inside its range', () => {
    for (const trial of trials) {
      const tuned = trial.TunedHyperParameters as Record<string, string>;
      expect(Number(tuned.eta)).toBeGreaterThanOrEqual(0.05);
      expect(Number(tuned.eta)).toBeLessThanOrEqual(0.5);
      expect(['2', '3', '4', '5']).toContain(tuned.max_depth);
    }
  });

  it('never runs more trials at once than MaxParallelTrainingJobs', () => {
    const spans = trials.map((trial) => [Date.parse(String((trial.CreationTime as Date).toISOString())), (trial.TrainingEndTime as Date).getTime()] as const);
    for (const [start] of spans) {
      const running = spans.filter(([s, e]) => s <= start && start < e).length;
      expect(running).toBeLessThanOrEqual(2);
    }
  });

  it('rejects a name outside the pattern', async () => {
    await expect(tuning.call('CreateHyperParameterTuningJob', tuningRequest('ps_tune'))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}'),
    });
  });

  it('refuses a second tuning job with the same name with ResourceInUse', async () => {
    await expect(tuning.call('CreateHyperParameterTuningJob', tuningRequest('ps-tune-r1'))).rejects.toMatchObject({ name: 'ResourceInUse' });
  });

  it('answers an unknown tuning job with ResourceNotFound', async () => {
    await expect(tuning.call('DescribeHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-none' })).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });

  it('rejects a name longer than 32 characters', async () => {
    await expect(tuning.call('CreateHyperParameterTuningJob', tuningRequest('ps-tune-0123456789abcdef0123456789'))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 32'),
    });
  });

  it('rejects a range whose MinValue exceeds its MaxValue', async () => {
    const request = tuningRequest('ps-tune-bad-range', { config: { ParameterRanges: { ContinuousParameterRanges: [{ Name: 'eta', MinValue: '0.5', MaxValue: '0.1' }] } } });
    await expect(tuning.call('CreateHyperParameterTuningJob', request)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('MinValue (0.5) must be less than or equal to MaxValue (0.1)') });
  });

  it('rejects a hyperparameter that is both static and tuned', async () => {
    const request = tuningRequest('ps-tune-both', { config: { ParameterRanges: { IntegerParameterRanges: [{ Name: 'num_round', MinValue: '5', MaxValue: '10' }] } } });
    await expect(tuning.call('CreateHyperParameterTuningJob', request)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('num_round') });
  });

  it('answers too many parallel trials with ResourceLimitExceeded', async () => {
    const request = tuningRequest('ps-tune-wide', { config: { ResourceLimits: { MaxNumberOfTrainingJobs: 200, MaxParallelTrainingJobs: 101 } } });
    await expect(tuning.call('CreateHyperParameterTuningJob', request)).rejects.toMatchObject({ name: 'ResourceLimitExceeded' });
  });

  it('rejects an objective metric the built-in XGBoost does not emit', async () => {
    const request = tuningRequest('ps-tune-metric', { config: { HyperParameterTuningJobObjective: { Type: 'Maximize', MetricName: 'validation:r2' } } });
    await expect(tuning.call('CreateHyperParameterTuningJob', request)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('validation:r2') });
  });

  it('fails the tuning job when no trial reports the objective metric', async () => {
    const request = tuningRequest('ps-tune-nometric', {
      config: { HyperParameterTuningJobObjective: { Type: 'Minimize', MetricName: 'validation:merror' }, ResourceLimits: { MaxNumberOfTrainingJobs: 1, MaxParallelTrainingJobs: 1 } },
      definition: { StaticHyperParameters: { objective: 'multi:softprob', num_class: '3', num_round: '3', eval_metric: 'mlogloss' } },
    });
    await tuning.call('CreateHyperParameterTuningJob', request);
    const failed = await pollUntilSettled(() => tuning.call('DescribeHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-nometric' }), 'HyperParameterTuningJobStatus', IN_FLIGHT);
    expect(failed).toMatchObject({ HyperParameterTuningJobStatus: 'Failed', FailureReason: expect.stringContaining('validation:merror'), ObjectiveStatusCounters: { Failed: 1 } });
    expect(failed.BestTrainingJob).toBeUndefined();
  }, 60_000);

  it('stops the running trials on StopHyperParameterTuningJob', async () => {
    const request = tuningRequest('ps-tune-stop', {
      config: { ResourceLimits: { MaxNumberOfTrainingJobs: 6, MaxParallelTrainingJobs: 1 } },
      definition: { StaticHyperParameters: { objective: 'multi:softprob', num_class: '3', num_round: '2000', eval_metric: 'mlogloss' } },
    });
    await tuning.call('CreateHyperParameterTuningJob', request);
    await tuning.call('StopHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-stop' });
    const stopped = await pollUntilSettled(() => tuning.call('DescribeHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-stop' }), 'HyperParameterTuningJobStatus', IN_FLIGHT);
    expect(stopped.HyperParameterTuningJobStatus).toBe('Stopped');
    expect((stopped.TrainingJobStatusCounters as { Completed: number }).Completed).toBeLessThan(6);
    await expect(tuning.call('StopHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-stop' })).rejects.toMatchObject({ name: 'ValidationException' });
  }, 60_000);

  it('lists tuning jobs by status', async () => {
    const listed = await tuning.call('ListHyperParameterTuningJobs', { StatusEquals: 'Completed' });
    expect((listed.HyperParameterTuningJobSummaries as Array<Record<string, unknown>>).map((job) => job.HyperParameterTuningJobName)).toContain('ps-tune-r1');
  });

  it('is stopped with its trials when the run is stopped (Ctrl-C), so no new trial starts', async () => {
    const aws = new LocalAws().register(training).register(tuning);
    const request = tuningRequest('ps-tune-ctrlc', {
      config: { ResourceLimits: { MaxNumberOfTrainingJobs: 6, MaxParallelTrainingJobs: 1 } },
      definition: { StaticHyperParameters: { objective: 'multi:softprob', num_class: '3', num_round: '2000', eval_metric: 'mlogloss' } },
    });
    await tuning.call('CreateHyperParameterTuningJob', request);

    const stopped = await stopRunningJobs(aws);

    expect(stopped).toContain('tuning job ps-tune-ctrlc');
    const settled = await pollUntilSettled(() => tuning.call('DescribeHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-ctrlc' }), 'HyperParameterTuningJobStatus', IN_FLIGHT);
    expect(settled.HyperParameterTuningJobStatus).toBe('Stopped');
    const trials = (await tuning.call('ListTrainingJobsForHyperParameterTuningJob', { HyperParameterTuningJobName: 'ps-tune-ctrlc' })).TrainingJobSummaries as unknown[];
    expect(trials.length).toBeLessThan(6);
  }, 60_000);
});
