/** Service names of the AWS SDK for Java v2 (the prefix of AWS SDK integration errors), by emulator service id. */
export const SDK_V2_SERVICE_NAMES: Record<string, string> = {
  s3: 'S3',
  sagemaker: 'SageMaker',
  sagemakerruntime: 'SageMakerRuntime',
  sagemakerfeaturestoreruntime: 'SageMakerFeatureStoreRuntime',
  sfn: 'Sfn',
  sns: 'Sns',
  dynamodb: 'DynamoDb',
  glue: 'Glue',
  athena: 'Athena',
  cloudwatch: 'CloudWatch',
  lambda: 'Lambda',
  eks: 'Eks',
  applicationautoscaling: 'ApplicationAutoScaling',
};
