/**
 * Stage 4, feature ingestion: a Distributed Map over the run's customer_features/ files in gold,
 * each batch written to the feature group by the ingest-features Lambda (batched PutRecord). It
 * runs as a branch of IngestAndTrain (ingest-and-train.ts), beside the training step.
 */
import { aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { jsonata, runPathExpression } from '../jsonata.js';
import { StateName } from '../names.js';
import { RetryPolicies, retryProps } from '../retry-policies.js';
import { goldPaths } from '../s3-layout.js';
import { failureAssign, type StageContext, type StageFragment } from './shared.js';

export function buildFeatureIngestionStage({ scope, props, config, notifyFailure, failureVariable }: StageContext): StageFragment<sfn.DistributedMap> {
  const ingestFeatureFile = tasks.LambdaInvoke.jsonata(scope, StateName.IngestFeatureFile, {
    stateName: StateName.IngestFeatureFile,
    comment: 'Writes one batch of customer-feature files to the feature group (batched PutRecord).',
    lambdaFunction: props.functions.ingestFeatures,
    payload: sfn.TaskInput.fromObject({
      featureGroupName: props.featureGroupName,
      Items: jsonata('$states.input.Items'),
      BatchInput: jsonata('$states.input.BatchInput'),
    }),
    retryOnServiceExceptions: false,
    outputs: jsonata('$states.result.Payload'),
  });
  ingestFeatureFile.addRetry(retryProps(RetryPolicies.lambda));
  const ingestFeatures = sfn.DistributedMap.jsonata(scope, StateName.IngestFeatures, {
    stateName: StateName.IngestFeatures,
    comment: 'Distributed Map over the run\'s customer_features/ files in gold.',
    itemReader: new sfn.S3ObjectsItemReader({
      bucket: props.goldBucket,
      prefix: jsonata(runPathExpression((runId) => goldPaths(runId).customerFeatures)),
    }),
    itemBatcher: new sfn.ItemBatcher({
      maxItemsPerBatch: config.ingestion.filesPerBatch,
      batchInput: { bucket: props.goldBucket.bucketName, eventTime: jsonata('$states.context.Execution.StartTime') },
    }),
    maxConcurrency: config.ingestion.maxConcurrentFiles,
    toleratedFailurePercentage: 0,
    mapExecutionType: sfn.StateMachineType.STANDARD,
    outputs: {
      // No customer_features files → an empty result, and $sum of nothing is nothing, not 0.
      recordsWritten: jsonata('$sum([$states.result.recordsWritten])'),
      recordsFailed: jsonata('$sum([$states.result.recordsFailed])'),
    },
  });
  // No ProcessorConfig: a DistributedMap renders Mode DISTRIBUTED and ExecutionType from
  // mapExecutionType itself (a config's executionType is ignored with a synth warning).
  ingestFeatures.itemProcessor(ingestFeatureFile);
  ingestFeatures.addCatch(notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.IngestFeatures, failureVariable) });
  return { start: ingestFeatures, end: ingestFeatures, policyStatements: [] };
}
