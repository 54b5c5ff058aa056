/**
 * The contract every local AWS service emulator follows. Inputs and outputs are the API's own
 * shapes as the AWS SDK v3 and Step Functions SDK integrations use them (PascalCase members,
 * e.g. CreateTrainingJob's `TrainingJobName`), so the same object can come from an ASL Task's
 * Parameters or from a task Lambda's SDK client.
 */

export interface AwsServiceEmulator {
  /** Service id as in `arn:aws:states:::aws-sdk:<service>:<action>`: s3, glue, athena, sagemaker, ... */
  readonly service: string;
  /** The API actions it implements; several emulators may share a service (sagemaker). */
  readonly actions: readonly string[];
  /** `action` is the API name in PascalCase (`CreateTrainingJob`, `PutObject`). */
  call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/**
 * An error as the AWS API returns it: `name` is the API's error code
 * (`ResourceNotFound`, `NoSuchKey`, `ValidationException`, `ThrottlingException` ...).
 */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number };

  constructor(code: string, message: string, options: { fault?: 'client' | 'server'; httpStatusCode?: number } = {}) {
    super(message);
    this.name = code;
    this.$fault = options.fault ?? 'client';
    this.$metadata = { httpStatusCode: options.httpStatusCode ?? (this.$fault === 'client' ? 400 : 500) };
  }
}

/** Raised for an action the emulator does not implement: never silently ignored. */
export function unsupportedAction(service: string, action: string, supported: readonly string[]): AwsServiceError {
  return new AwsServiceError(
    'UnsupportedOperation',
    `The local ${service} emulator does not implement ${action}. Implemented: ${supported.join(', ')}`,
  );
}
