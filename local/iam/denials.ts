/**
 * How a denial surfaces, per path:
 * - the API's own error (what an SDK client in a task Lambda throws): S3 `AccessDenied` (403),
 *   SNS `AuthorizationError` (403), Lambda `AccessDeniedException` (403), others
 *   `AccessDeniedException` (400), with AWS's "User: … is not authorized to perform: …" message;
 * - through a Step Functions optimized integration (AWS SDK for Java v1 inside Step Functions):
 *   unmodeled codes become the client's base exception, `SageMaker.AmazonSageMakerException`,
 *   `Lambda.AWSLambdaException`, `Glue.AWSGlueException`, `Athena.AmazonAthenaException`; modeled
 *   ones keep their name (`SNS.AuthorizationErrorException`). The cause is the message followed by
 *   "(Service: AmazonSageMaker; Status Code: 400; Error Code: AccessDeniedException; Request ID: …;
 *   Proxy: null)", as in aws/aws-cdk#11594;
 * - through an AWS SDK integration (SDK for Java v2): `<Service>.<Service>Exception`
 *   (`SageMaker.SageMakerException`, `S3.S3Exception`) with "(Service: SageMaker, Status Code: 400,
 *   Request ID: …)".
 */
import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../aws/emulator.js';
import { sdkServiceName } from '../task-integrations/error-names.js';

interface ApiError {
  code: string;
  status: number;
}

/** The error code and HTTP status each API answers a denial with. */
export function apiDenialError(service: string, viaKms: boolean): ApiError {
  if (service === 's3') return { code: 'AccessDenied', status: 403 };
  if (service === 'sns') return viaKms ? { code: 'KMSAccessDenied', status: 400 } : { code: 'AuthorizationError', status: 403 };
  if (service === 'lambda') return { code: 'AccessDeniedException', status: 403 };
  return { code: 'AccessDeniedException', status: 400 };
}

/** An emulator-level denial: the AwsServiceError the API would return. */
export class IamAccessDeniedError extends AwsServiceError {
  constructor(
    readonly service: string,
    code: string,
    status: number,
    message: string,
  ) {
    super(code, message, { fault: 'client', httpStatusCode: status });
  }
}

/** Java SDK v1 client names (the `Service:` in causes and the base exception of optimized integrations). */
const V1_CLIENTS: Record<string, { service: string; exception: string }> = {
  sagemaker: { service: 'AmazonSageMaker', exception: 'AmazonSageMakerException' },
  lambda: { service: 'AWSLambda', exception: 'AWSLambdaException' },
  glue: { service: 'AWSGlue', exception: 'AWSGlueException' },
  athena: { service: 'AmazonAthena', exception: 'AmazonAthenaException' },
  sns: { service: 'AmazonSNS', exception: 'AmazonSNSException' },
  s3: { service: 'Amazon S3', exception: 'AmazonS3Exception' },
  eks: { service: 'AmazonEKS', exception: 'AmazonEKSException' },
};
const OPTIMIZED_PREFIX: Record<string, string> = { sagemaker: 'SageMaker', lambda: 'Lambda', glue: 'Glue', athena: 'Athena', sns: 'SNS', s3: 'S3', eks: 'EKS' };
/** Codes the v1 clients model as their own exception classes. */
const V1_MODELED = new Set(['sns:AuthorizationError', 'sns:KMSAccessDenied']);

/** Error name and cause of a denied call made by an optimized integration (`arn:aws:states:::sagemaker:…`). */
export function optimizedIntegrationFailure(service: string, denial: IamAccessDeniedError): { error: string; cause: string } {
  const client = V1_CLIENTS[service] ?? { service, exception: `${service}Exception` };
  const prefix = OPTIMIZED_PREFIX[service] ?? service;
  const error = V1_MODELED.has(`${service}:${denial.name}`) ? `${prefix}.${denial.name}Exception` : `${prefix}.${client.exception}`;
  const cause = `${denial.message} (Service: ${client.service}; Status Code: ${denial.$metadata.httpStatusCode}; Error Code: ${denial.name}; Request ID: ${randomUUID()}; Proxy: null)`;
  return { error, cause };
}

/** Error name and cause of a denied call made by an AWS SDK integration (`arn:aws:states:::aws-sdk:…`). */
export function sdkIntegrationFailure(service: string, denial: IamAccessDeniedError): { error: string; cause: string } {
  const name = sdkServiceName(service);
  return {
    error: `${name}.${name}Exception`,
    cause: `${denial.message} (Service: ${name}, Status Code: ${denial.$metadata.httpStatusCode}, Request ID: ${randomUUID()})`,
  };
}
