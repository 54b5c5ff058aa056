/**
 * Stages 4-5 side by side: IngestAndTrain, a Parallel state with feature ingestion (IngestFeatures)
 * in one branch and the training step (TrainModel, or the tuning job) in the other. Both read only
 * gold and neither reads what the other writes, so neither waits: on AWS the Distributed Map's
 * minutes of PutRecord run during the training job's, and locally at 2.67M rows ingestion (~2.5 s)
 * runs while XGBoost trains.
 *
 * Failures. A Catch inside a branch cannot leave it, so each branch's guarded states catch into the
 * branch's own Fail state, recording the failure in `$branchFailure` (a branch-scoped name). That
 * Fail state re-raises the original error name, with the record {state, error, cause} as a JSON
 * cause. The Parallel then fails with it (Step Functions stops the other branch), and its Catch
 * restores `$failure` from that cause: NotifyFailure and PipelineFailed still name the state that
 * failed, with its own error and cause. Retries stay on the branch states.
 *
 * Variables. A branch's assignments never reach the states after the Parallel: the training step's
 * last state outputs `training` (and `tuning`), and the Parallel assigns them at the top level.
 */
import { aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { jsonata, literal } from '../jsonata.js';
import { StateName } from '../names.js';
import { BOUNDED_CAUSE, BRANCH_FAILURE_VARIABLE, FAILURE_VARIABLE } from '../retry-policies.js';
import { buildFeatureIngestionStage } from './feature-ingestion.js';
import type { StageContext, StageFragment } from './shared.js';
import { configuredTrainingStep, type TrainingStepBuilder } from './training-and-scoring.js';

/** The Fail state ending a branch: the branch's failure record goes out as the cause. */
function branchFailed(context: StageContext, stateName: string, branch: string): sfn.Fail {
  return sfn.Fail.jsonata(context.scope, stateName, {
    stateName,
    comment: `Ends the ${branch} branch with the failed state's error; the cause is its failure record {state, error, cause} as JSON, which IngestAndTrain's Catch restores.`,
    error: jsonata(`$${BRANCH_FAILURE_VARIABLE}.error`),
    cause: jsonata(`$string($${BRANCH_FAILURE_VARIABLE})`),
  });
}

/**
 * `$failure` from the Parallel's error: the branch's record when the cause is one (it always is
 * for a caught branch failure), else the Parallel itself with the error and bounded cause.
 */
const FAILURE_FROM_BRANCH = `(
  $c := $states.errorOutput.Cause;
  $r := $type($c) = 'string' and $substring($c, 0, 1) = '{' and $contains($c, '"state":') and $contains($c, '"error":') ? $parse($c);
  $type($r.state) = 'string' ? $r : {'state': ${literal(StateName.IngestAndTrain)}, 'error': $states.errorOutput.Error, 'cause': ${BOUNDED_CAUSE}}
)`.replace(/\s*\n\s*/g, ' ');

/**
 * IngestAndTrain with feature ingestion in branch 0 and `buildTrainingStep`'s states in branch 1;
 * goes on to CreateModel, and on failure to NotifyFailure with the failed branch state's record.
 */
export function buildIngestAndTrainStage(context: StageContext, buildTrainingStep: TrainingStepBuilder = configuredTrainingStep): StageFragment<sfn.Parallel> {
  const inBranch = (failed: sfn.Fail): StageContext => ({ ...context, notifyFailure: failed, failureVariable: BRANCH_FAILURE_VARIABLE });
  const ingestion = buildFeatureIngestionStage(inBranch(branchFailed(context, StateName.IngestionBranchFailed, 'feature ingestion')));
  const training = buildTrainingStep(inBranch(branchFailed(context, StateName.TrainingBranchFailed, 'training')));

  const ingestAndTrain = sfn.Parallel.jsonata(context.scope, StateName.IngestAndTrain, {
    stateName: StateName.IngestAndTrain,
    comment: 'Feature ingestion and the training step side by side: both read only gold.',
    assign: Object.fromEntries(training.exports.map((name) => [name, jsonata(`$states.result[1].${name}`)])),
    // The ingestion counts go on as the next state's input, as IngestFeatures' output did before
    // the Parallel (the execution history shows them there); CreateModel reads only variables.
    outputs: jsonata('$states.result[0]'),
  });
  ingestAndTrain.branch(ingestion.start);
  ingestAndTrain.branch(training.start);
  ingestAndTrain.addCatch(context.notifyFailure, { errors: [sfn.Errors.ALL], assign: { [FAILURE_VARIABLE]: jsonata(FAILURE_FROM_BRANCH) } });
  return { start: ingestAndTrain, end: ingestAndTrain, policyStatements: [...ingestion.policyStatements, ...training.policyStatements] };
}
