/** S3's error answers shared by the actions (names and HTTP statuses as the SDK surfaces them). */
import { AwsServiceError } from '../emulator.js';

export function noSuchBucket(bucket: string): AwsServiceError {
  return new AwsServiceError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, { httpStatusCode: 404 });
}

export function noSuchKey(bucket: string, key: string): AwsServiceError {
  return new AwsServiceError('NoSuchKey', `The specified key does not exist: s3://${bucket}/${key}`, { httpStatusCode: 404 });
}

/** S3 answers a missing or empty required member with InvalidRequest, naming the action. */
export function requireString(input: Record<string, unknown>, field: string, action: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsServiceError('InvalidRequest', `${action} needs ${field} as a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}
