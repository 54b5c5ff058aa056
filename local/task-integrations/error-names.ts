/**
 * Error names Step Functions gives failed service calls. SDK integrations
 * (`arn:aws:states:::aws-sdk:...`) report `<ServiceName>.<ErrorName>` in PascalCase, the
 * service named as in the AWS SDK for Java v2 (`S3`, `SageMaker`, `DynamoDb`, `Sfn`), and the
 * error name always ends in `Exception` even when the API's code does not (`NoSuchKey` →
 * `S3.NoSuchKeyException`). Optimized integrations use their own prefixes (`SNS`, `EKS`, `Lambda`).
 */

const SDK_SERVICE_NAMES: Record<string, string> = {
  s3: 'S3',
  sagemaker: 'SageMaker',
  sagemakerruntime: 'SageMakerRuntime',
  sagemakerfeaturestoreruntime: 'SageMakerFeatureStoreRuntime',
  sfn: 'Sfn',
  sns: 'Sns',
  sqs: 'Sqs',
  dynamodb: 'DynamoDb',
  glue: 'Glue',
  athena: 'Athena',
  cloudwatch: 'CloudWatch',
  lambda: 'Lambda',
  eks: 'Eks',
  eventbridge: 'EventBridge',
  acmpca: 'AcmPca',
  applicationautoscaling: 'ApplicationAutoScaling',
};

/** Prefixes of the optimized integrations (`arn:aws:states:::<service>:<action>`). */
const OPTIMIZED_SERVICE_NAMES: Record<string, string> = {
  glue: 'Glue',
  athena: 'Athena',
  sagemaker: 'SageMaker',
  sns: 'SNS',
  lambda: 'Lambda',
  eks: 'EKS',
  s3: 'S3',
  dynamodb: 'DynamoDB',
  states: 'StepFunctions',
};

function pascal(service: string): string {
  return service.charAt(0).toUpperCase() + service.slice(1);
}

export function withExceptionSuffix(code: string): string {
  return code.endsWith('Exception') ? code : `${code}Exception`;
}

/** The AWS SDK for Java v2 name of a service (`dynamodb` → `DynamoDb`), the prefix of its SDK integration errors. */
export function sdkServiceName(service: string): string {
  return SDK_SERVICE_NAMES[service] ?? pascal(service);
}

/** `sdkErrorName('s3', 'NoSuchKey')` → `S3.NoSuchKeyException`. */
export function sdkErrorName(service: string, code: string): string {
  return `${sdkServiceName(service)}.${withExceptionSuffix(code)}`;
}

/** `optimizedErrorName('sns', 'NotFound')` → `SNS.NotFoundException`. */
export function optimizedErrorName(service: string, code: string): string {
  return `${OPTIMIZED_SERVICE_NAMES[service] ?? pascal(service)}.${withExceptionSuffix(code)}`;
}

/**
 * The SageMaker optimized integration (AWS SDK for Java v1) models only a few error codes as
 * their own exceptions; every other service error surfaces as `SageMaker.AmazonSageMakerException`.
 */
const SAGEMAKER_MODELED = new Set(['ResourceNotFound', 'ResourceInUse', 'ResourceLimitExceeded', 'ConflictException']);

export function sageMakerOptimizedErrorName(code: string): string {
  return SAGEMAKER_MODELED.has(code) ? `SageMaker.${withExceptionSuffix(code)}` : 'SageMaker.AmazonSageMakerException';
}
