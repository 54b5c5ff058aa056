/** Which container images the local emulator can stand in for: SageMaker's built-in XGBoost 1.7. */
import { validationError } from './validation.js';

// e.g. 683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1
const XGBOOST_17_IMAGE = /(^|\/)sagemaker-xgboost:1\.7-\d+(-[a-z0-9-]+)?$/;

export const SUPPORTED_IMAGE_EXAMPLE = '<account>.dkr.ecr.<region>.amazonaws.com/sagemaker-xgboost:1.7-1';

export function isXgboost17Image(image: string): boolean {
  return XGBOOST_17_IMAGE.test(image);
}

export function requireXgboost17Image(image: string, field: string): void {
  if (!isXgboost17Image(image)) {
    throw validationError(
      `${field} ${JSON.stringify(image)} cannot run locally: the local SageMaker emulator runs only the built-in XGBoost 1.7 image (${SUPPORTED_IMAGE_EXAMPLE}) through the xgboost 1.7 command`,
    );
  }
}
