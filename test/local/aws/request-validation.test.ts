import { describe, expect, it } from 'vitest';
import { RequestValidator, SERVICE_VALIDATION } from '../../../local/aws/request-validation.js';

const sagemaker = new RequestValidator(SERVICE_VALIDATION.sagemaker);
const glue = new RequestValidator(SERVICE_VALIDATION.glue);

describe('RequestValidator', () => {
  it('fails a missing required member in AWS constraint form for SageMaker', () => {
    expect(() => sagemaker.requiredString({}, 'ModelName')).toThrow(
      expect.objectContaining({ name: 'ValidationException', message: "1 validation error detected: Value null at 'ModelName' failed to satisfy constraint: Member must not be null and must be a non-empty string" }),
    );
  });

  it('fails the same member in sentence form under Glue\'s error name', () => {
    expect(() => glue.requiredString({ JobName: '' }, 'JobName')).toThrow(
      expect.objectContaining({ name: 'InvalidInputException', message: 'JobName is required and must be a non-empty string, got ""' }),
    );
  });

  it('checks the maximum length in characters, not bytes', () => {
    expect(glue.requiredString({ Name: 'é'.repeat(3) }, 'Name', { maxLength: 3 })).toBe('ééé');
    expect(() => sagemaker.requiredString({ Name: 'abcd' }, 'Name', { maxLength: 3 })).toThrow("failed to satisfy constraint: Member must have length less than or equal to 3");
  });

  it('names the pattern as AWS prints it', () => {
    expect(() => sagemaker.requiredString({ Name: 'a_b' }, 'Name', { pattern: /^[a-z]+$/, patternText: '^[a-z]+' })).toThrow(
      "Value \"a_b\" at 'Name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z]+",
    );
  });

  it('accepts only the enum values and lists them', () => {
    expect(glue.oneOf('A', ['A', 'B'], 'Kind')).toBe('A');
    expect(() => glue.oneOf('C', ['A', 'B'], 'Kind')).toThrow('Kind must be one of A, B, got "C"');
  });

  it('checks whole numbers and their range', () => {
    expect(glue.optionalNumber({}, 'MaxResults', { integer: true, min: 1, max: 200 })).toBeUndefined();
    expect(() => glue.optionalNumber({ MaxResults: 2.5 }, 'MaxResults', { integer: true })).toThrow('MaxResults must be a whole number, got 2.5');
    expect(() => sagemaker.optionalNumber({ Count: 0 }, 'Count', { integer: true, min: 1 })).toThrow("Value 0 at 'Count' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it('counts several problems of one request in AWS\'s plural form', () => {
    expect(sagemaker.errors(['a', 'b']).message).toBe('2 validation errors detected: a; b');
  });
});
