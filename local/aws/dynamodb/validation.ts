/** DynamoDB's request checks: ValidationException, through the shared request validation. */
import type { AwsServiceError } from '../emulator.js';
import { RequestValidator, SERVICE_VALIDATION } from '../request-validation.js';

export const dynamodb = new RequestValidator(SERVICE_VALIDATION.dynamodb);

export function validation(message: string): AwsServiceError {
  return dynamodb.error(message);
}
