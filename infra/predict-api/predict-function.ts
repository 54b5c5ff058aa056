/**
 * The /predict Lambda: scores a basket on the SageMaker endpoint with the customer's features,
 * samples inferences into the inference log, and reads the served model's reference prices from
 * the gold run its package names (found through endpoint → config → model → package).
 */
import { Duration, type Stack, aws_iam as iam, type aws_dynamodb as dynamodb, type aws_lambda as lambda, type aws_s3 as s3 } from 'aws-cdk-lib';
import { REFERENCE_PRICES_FILE } from '../../workflow/gold-features.js';
import { SERVING_MODEL_NAME_PREFIX } from '../../workflow/job-names.js';
import { CUSTOMER_FEATURE_GROUP, TaskFunction } from '../../workflow/resource-names.js';
import { TaskEnv } from '../../workflow/task-environment.js';
import type { TaskFunctionFactory } from '../drift/drift-detection.js';
import { acknowledgeFindings, arnFinding, bucketObjects } from '../nag-acknowledgements.js';

export interface PredictFunctionProps {
  taskFunction: TaskFunctionFactory;
  inferenceTable: dynamodb.ITable;
  inferenceLogSampleRate: number;
  endpointName: string;
  goldBucket: s3.IBucket;
  modelPackageGroupName: string;
}

/** `stack` formats the ARNs; the function is created by `taskFunction` (in the stack's scope). */
export function createPredictFunction(stack: Stack, props: PredictFunctionProps): lambda.Function {
  const predict = props.taskFunction(
    'PredictFunction',
    TaskFunction.Predict,
    {
      [TaskEnv.EndpointName]: props.endpointName,
      [TaskEnv.InferenceTableName]: props.inferenceTable.tableName,
      [TaskEnv.FeatureGroupName]: CUSTOMER_FEATURE_GROUP,
      [TaskEnv.InferenceLogSampleRate]: String(props.inferenceLogSampleRate),
      // The served model's reference prices: its package names the gold run that wrote them.
      [TaskEnv.GoldBucket]: props.goldBucket.bucketName,
      [TaskEnv.ModelPackageGroupName]: props.modelPackageGroupName,
    },
    Duration.seconds(10),
    1024,
  );
  props.inferenceTable.grantWriteData(predict);
  props.goldBucket.grantRead(predict, `gold/run_id=*/serving/${REFERENCE_PRICES_FILE}`);
  // The served model's run is read through the endpoint (tasks/core/predict/served-model-run.ts).
  predict.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['sagemaker:DescribeEndpoint'],
      resources: [stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: props.endpointName.toLowerCase() })],
    }),
  );
  predict.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel', 'sagemaker:DescribeModelPackage'],
      resources: [
        stack.formatArn({ service: 'sagemaker', resource: 'endpoint-config', resourceName: 'ps-epc-*' }),
        stack.formatArn({ service: 'sagemaker', resource: 'model', resourceName: `${SERVING_MODEL_NAME_PREFIX}-*` }),
        stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${props.modelPackageGroupName.toLowerCase()}/*` }),
      ],
    }),
  );
  acknowledgeFindings(predict, {
    [bucketObjects(props.goldBucket).replace(/\*$/, `gold/run_id=*/serving/${REFERENCE_PRICES_FILE}`)]: 'reads only the reference_prices.json of each gold run (the served model names its run)',
    [arnFinding(stack, 'sagemaker', 'endpoint-config/ps-epc-*')]: 'DescribeEndpointConfig on the pipeline\'s endpoint configs (one per run), to find the served model',
    [arnFinding(stack, 'sagemaker', `model/${SERVING_MODEL_NAME_PREFIX}-*`)]: 'DescribeModel on the pipeline\'s serving models (one per run), to find its model package',
    [arnFinding(stack, 'sagemaker', `model-package/${props.modelPackageGroupName.toLowerCase()}/*`)]: 'DescribeModelPackage on the versions of the one model package group, to find the served run',
  });
  return predict;
}
