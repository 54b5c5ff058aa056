/**
 * Tuned vs default on the same gold data, after `pricesense run` (default) and
 * `pricesense run --tuning` in one state directory:
 *   npx tsx test/bench/tuning.ts --state-dir DIR --default RUN_ID --tuned RUN_ID
 * Prints validation mlogloss and validation accuracy (1 - merror) of both models and their test
 * accuracy from the experiment records. The default run trains with eval_metric mlogloss only, so
 * its validation merror is measured here by training the default hyperparameters again on the
 * run's own channels through the training-job emulator with eval_metric "merror,mlogloss" (early
 * stopping still watches mlogloss, the last metric, so the model is the default run's model).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { LocalAws } from '../../local/aws/registry.js';
import { S3Emulator } from '../../local/aws/s3.js';
import { createSageMakerEmulators } from '../../local/aws/sagemaker/index.js';
import { readExperiments, type ExperimentRecord } from '../../local/cli/commands/experiments.js';

const { values } = parseArgs({ options: { 'state-dir': { type: 'string' }, default: { type: 'string' }, tuned: { type: 'string' } } });
const stateDir = values['state-dir']!;
const aws = new LocalAws().register(new S3Emulator(stateDir));
for (const emulator of createSageMakerEmulators({ stateDir })) aws.register(emulator);

const experiments = await readExperiments(aws);
const find = (runId: string | undefined): ExperimentRecord => {
  const record = experiments.find((candidate) => candidate.runId === runId);
  if (!record) throw new Error(`no experiment record for run ${runId}; have ${experiments.map((r) => r.runId).join(', ')}`);
  return record;
};
const untuned = find(values.default);
const tuned = find(values.tuned);

const original = await aws.call('sagemaker', 'DescribeTrainingJob', { TrainingJobName: untuned.trainingJob });
const name = `bench-default-${Date.now()}`;
await aws.call('sagemaker', 'CreateTrainingJob', {
  TrainingJobName: name,
  AlgorithmSpecification: original.AlgorithmSpecification,
  RoleArn: original.RoleArn,
  HyperParameters: { ...(original.HyperParameters as Record<string, string>), eval_metric: 'merror,mlogloss' },
  InputDataConfig: original.InputDataConfig,
  OutputDataConfig: original.OutputDataConfig,
  StoppingCondition: { MaxRuntimeInSeconds: 3600 },
});
let retrained: Record<string, unknown>;
do {
  await new Promise((resolve) => setTimeout(resolve, 200));
  retrained = await aws.call('sagemaker', 'DescribeTrainingJob', { TrainingJobName: name });
} while (retrained.TrainingJobStatus === 'InProgress');
if (retrained.TrainingJobStatus !== 'Completed') throw new Error(`retraining the default failed: ${String(retrained.FailureReason)}`);

const metric = (list: Array<{ name?: string; MetricName?: string; value?: number; Value?: number }>, wanted: string) => {
  const found = list.find((entry) => (entry.name ?? entry.MetricName) === wanted);
  return found?.value ?? found?.Value;
};
const retrainedMetrics = retrained.FinalMetricDataList as Array<{ MetricName: string; Value: number }>;
const rows = [
  { model: `default (${untuned.runId})`, mlogloss: metric(retrainedMetrics, 'validation:mlogloss')!, merror: metric(retrainedMetrics, 'validation:merror')!, test: untuned.testMetrics.accuracy },
  { model: `tuned (${tuned.runId}, ${tuned.tuning?.trials?.length} trials)`, mlogloss: metric(tuned.validationMetrics, 'validation:mlogloss')!, merror: metric(tuned.validationMetrics, 'validation:merror')!, test: tuned.testMetrics.accuracy },
];
const recorded = metric(untuned.validationMetrics, 'validation:mlogloss');
console.log(`default's recorded validation mlogloss ${recorded} vs retrained ${rows[0]!.mlogloss} (same model when equal)`);
for (const row of rows) {
  console.log(`${row.model.padEnd(40)} val mlogloss ${row.mlogloss.toFixed(4)}  val accuracy ${(100 * (1 - row.merror)).toFixed(2)}%  test accuracy ${(100 * row.test).toFixed(2)}%`);
}
console.log(`load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
