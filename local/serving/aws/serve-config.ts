/**
 * What `pricesense serve --aws` (the EKS container) serves, read once from the environment the
 * pod gets from infra/eks/serving-manifests.ts, with the CLI flags on top. Every mistake is an
 * AwsServeConfigError naming the variable and what was expected; the CLI turns it into a usage
 * error (exit 2), so a misconfigured pod says why in its first log line instead of failing later.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CUSTOMER_FEATURE_GROUP } from '../../../workflow/resource-names.js';
import { XGBOOST_MODEL_FILE } from '../../xgboost/model-from-archive.js';

/** The environment variables of the AWS mode, as the manifests set them. */
export const AwsServeEnv = {
  /** The extracted model.tar.gz (the init container writes it); must hold `xgboost-model`. */
  ModelDir: 'PRICESENSE_MODEL_DIR',
  /** The registered model package of that archive (pod annotation pricesense.io/model-package-arn). */
  ModelPackageArn: 'PRICESENSE_MODEL_PACKAGE_ARN',
  /** The S3 URI the archive was fetched from (pod annotation pricesense.io/model-data-url). */
  ModelDataUrl: 'MODEL_DATA_URL',
  /** Gold bucket holding gold/run_id=<run>/serving/reference_prices.json. */
  GoldBucket: 'PRICESENSE_GOLD_BUCKET',
  FeatureGroup: 'PRICESENSE_FEATURE_GROUP',
  /** Empty: no inference log. */
  InferenceTable: 'PRICESENSE_INFERENCE_TABLE',
  Region: 'AWS_REGION',
  DefaultRegion: 'AWS_DEFAULT_REGION',
} as const;

export interface AwsServeConfig {
  region: string;
  modelDir: string;
  modelFile: string;
  /** Absent only when the reference prices come from a file (`--reference-prices`). */
  modelPackageArn?: string;
  modelDataUrl?: string;
  goldBucket?: string;
  featureGroupName: string;
  /** undefined: the inference log is off. */
  inferenceTableName?: string;
  /** `--reference-prices FILE` instead of the package's gold run. */
  referencePricesFile?: string;
}

export interface AwsServeFlags {
  featureGroupName?: string;
  inferenceTableName?: string;
  referencePricesFile?: string;
}

export class AwsServeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsServeConfigError';
  }
}

const MODEL_PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[a-zA-Z0-9-]{1,63}\/\d+$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const FEATURE_GROUP_NAME = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

export function readAwsServeConfig(env: NodeJS.ProcessEnv, flags: AwsServeFlags = {}): AwsServeConfig {
  const modelDir = value(env, AwsServeEnv.ModelDir);
  if (modelDir === undefined) throw new AwsServeConfigError(`${AwsServeEnv.ModelDir} is not set: --aws serves the extracted model.tar.gz in that directory (the init container writes /opt/ml/model)`);
  if (!existsSync(modelDir) || !statSync(modelDir).isDirectory()) throw new AwsServeConfigError(`${AwsServeEnv.ModelDir} ${modelDir} is not a directory: expected the extracted model.tar.gz`);
  const modelFile = join(modelDir, XGBOOST_MODEL_FILE);
  if (!existsSync(modelFile)) throw new AwsServeConfigError(`${AwsServeEnv.ModelDir} ${modelDir} has no ${XGBOOST_MODEL_FILE}: expected the extracted model.tar.gz of SageMaker's XGBoost training job`);

  const region = value(env, AwsServeEnv.Region) ?? value(env, AwsServeEnv.DefaultRegion);
  if (region === undefined) throw new AwsServeConfigError(`neither ${AwsServeEnv.Region} nor ${AwsServeEnv.DefaultRegion} is set: --aws needs the Region of the feature group, the table and the registry (e.g. ${AwsServeEnv.Region}=us-east-1)`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new AwsServeConfigError(`${AwsServeEnv.Region} must be a Region such as us-east-1, got ${JSON.stringify(region)}`);

  const featureGroupName = flags.featureGroupName ?? value(env, AwsServeEnv.FeatureGroup) ?? CUSTOMER_FEATURE_GROUP;
  if (!FEATURE_GROUP_NAME.test(featureGroupName)) throw new AwsServeConfigError(`feature group ${JSON.stringify(featureGroupName)} is not a feature group name (1-64 letters, digits, - and _)`);
  const inferenceTableName = flags.inferenceTableName ?? value(env, AwsServeEnv.InferenceTable);
  if (inferenceTableName !== undefined && !TABLE_NAME.test(inferenceTableName)) {
    throw new AwsServeConfigError(`inference table ${JSON.stringify(inferenceTableName)} is not a DynamoDB table name (3-255 letters, digits, _ . -); leave ${AwsServeEnv.InferenceTable} empty to log nothing`);
  }

  const config: AwsServeConfig = { region, modelDir, modelFile, featureGroupName, ...(inferenceTableName ? { inferenceTableName } : {}) };
  const modelDataUrl = value(env, AwsServeEnv.ModelDataUrl);
  if (modelDataUrl !== undefined) config.modelDataUrl = modelDataUrl;
  if (flags.referencePricesFile !== undefined) {
    config.referencePricesFile = flags.referencePricesFile;
    return config;
  }
  // The reference prices belong to the model: its package names the gold run that wrote them.
  const modelPackageArn = value(env, AwsServeEnv.ModelPackageArn);
  if (modelPackageArn === undefined) {
    throw new AwsServeConfigError(`${AwsServeEnv.ModelPackageArn} is not set: --aws reads the reference prices of the model's gold run through its registered package (or pass --reference-prices FILE)`);
  }
  if (!MODEL_PACKAGE_ARN.test(modelPackageArn)) {
    throw new AwsServeConfigError(`${AwsServeEnv.ModelPackageArn} must be a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>), got ${JSON.stringify(modelPackageArn)}`);
  }
  const goldBucket = value(env, AwsServeEnv.GoldBucket);
  if (goldBucket === undefined) throw new AwsServeConfigError(`${AwsServeEnv.GoldBucket} is not set: --aws reads gold/run_id=<run>/serving/reference_prices.json from the gold bucket (or pass --reference-prices FILE)`);
  if (!BUCKET_NAME.test(goldBucket)) throw new AwsServeConfigError(`${AwsServeEnv.GoldBucket} must be an S3 bucket name, got ${JSON.stringify(goldBucket)}`);
  return { ...config, modelPackageArn, goldBucket };
}
