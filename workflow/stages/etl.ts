/**
 * Stage 2, ETL: the two Glue jobs, raw CSV → silver Parquet → gold (baskets, features, split,
 * XGBoost CSV, customer features), each run to completion with the run's URIs as arguments.
 */
import { Duration, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { jsonata, orDefault } from '../jsonata.js';
import { StateName } from '../names.js';
import { GlueJobArgument } from '../resource-names.js';
import { guard, RetryPolicies } from '../retry-policies.js';
import { type StageContext, type StageFragment, withRetry } from './shared.js';

export function buildEtlStage({ scope, props, config, notifyFailure }: StageContext): StageFragment<tasks.GlueStartJobRun> {
  const glueArguments = sfn.TaskInput.fromObject({
    [GlueJobArgument.RunId]: jsonata('$run.runId'),
    [GlueJobArgument.RawUri]: jsonata(`'s3://' & $run.bucket & '/' & $run.key`),
    [GlueJobArgument.SilverUri]: jsonata('$run.silverUri'),
    [GlueJobArgument.GoldUri]: jsonata('$run.goldUri'),
  });
  const glueStep = (stateName: StateName, jobName: string, comment: string) =>
    guard(
      withRetry(tasks.GlueStartJobRun.jsonata(scope, stateName, {
        stateName,
        comment,
        glueJobName: jobName,
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        arguments: glueArguments,
        taskTimeout: sfn.Timeout.duration(Duration.minutes(config.glue.timeoutMinutes)),
        outputs: { jobRunId: jsonata('$states.result.Id'), state: jsonata('$states.result.JobRunState'), executionTime: jsonata(orDefault('$states.result.ExecutionTime')) },
      }), RetryPolicies.glueConcurrentRuns),
      stateName,
      RetryPolicies.glue,
      notifyFailure,
    );
  const rawToSilver = glueStep(StateName.RawToSilver, props.glueJobNames.rawToSilver, 'Glue: types, cleans and deduplicates the raw CSV into silver Parquet.');
  const silverToGold = glueStep(StateName.SilverToGold, props.glueJobNames.silverToGold, 'Glue: one row per basket, features, split, XGBoost CSV and customer features.');
  rawToSilver.next(silverToGold);
  return { start: rawToSilver, end: silverToGold, policyStatements: [] };
}
