// asl-validator 4 ships JavaScript only; this declares the part pricesense calls.
declare module 'asl-validator' {
  interface AslValidatorError {
    'Error code': string;
    Message: string;
    schemaError?: { instancePath: string; schemaPath: string };
  }
  interface AslValidatorResult {
    isValid: boolean;
    errors: AslValidatorError[];
    errorsText(separator?: string): string;
  }
  function validator(definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }): AslValidatorResult;
  export = validator;
}
