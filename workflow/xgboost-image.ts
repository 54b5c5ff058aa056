/**
 * The SageMaker built-in XGBoost 1.7 image. aws_sagemaker has no helper for built-in
 * algorithms, so the registry account per Region comes from the SageMaker docs
 * ("Docker Registry Paths and Example Code", sagemaker-xgboost 1.7-1). Only Regions whose
 * account was checked are listed: add others from that page.
 */
export const XGBOOST_IMAGE_TAG = 'sagemaker-xgboost:1.7-1';

export const XGBOOST_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '683313688378',
  'us-west-2': '246618743249',
  'eu-west-1': '141502667606',
  'eu-central-1': '492215442770',
};

export function xgboostImageUri(region: string): string {
  const account = XGBOOST_REGISTRY_ACCOUNTS[region];
  if (account === undefined) {
    throw new Error(
      `No SageMaker XGBoost 1.7 image is known for Region ${JSON.stringify(region)}; supported Regions: ${Object.keys(XGBOOST_REGISTRY_ACCOUNTS).join(', ')}. Set the CDK context "pricesense:region" to one of them.`,
    );
  }
  return `${account}.dkr.ecr.${region}.amazonaws.com/${XGBOOST_IMAGE_TAG}`;
}
