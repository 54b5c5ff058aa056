/**
 * `pricesense serve` mode selection and the usage errors of `--aws`: each misconfiguration is exit
 * 2 with a sentence naming the variable or flag, before anything listens or calls AWS.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../local/cli/main.js';
import { usage } from '../../../../local/cli/commands/serve.js';
import { readAwsServeConfig } from '../../../../local/serving/aws/serve-config.js';

const root = mkdtempSync(join(tmpdir(), 'serve-cli-'));
const modelDir = join(root, 'model');
const emptyDir = join(root, 'empty');
mkdirSync(modelDir);
mkdirSync(emptyDir);
writeFileSync(join(modelDir, 'xgboost-model'), '{}');
const PACKAGE = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/pricesense-basket-price-sensitivity/3';
const GOOD = { PRICESENSE_MODEL_DIR: modelDir, AWS_REGION: 'us-east-1', PRICESENSE_MODEL_PACKAGE_ARN: PACKAGE, PRICESENSE_GOLD_BUCKET: 'ps-gold' };

let stderr: string[];
beforeEach(() => {
  stderr = [];
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void stderr.push(String(line)));
  for (const name of ['PRICESENSE_MODEL_DIR', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'PRICESENSE_MODEL_PACKAGE_ARN', 'PRICESENSE_GOLD_BUCKET', 'PRICESENSE_INFERENCE_TABLE', 'MODEL_DATA_URL']) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function serve(argv: string[], env: Record<string, string>): Promise<{ code: number; message: string }> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const code = await main(['serve', ...argv]);
  return { code, message: stderr.join('\n').split('\n')[0]! };
}

describe('pricesense serve --aws usage errors (exit 2)', () => {
  it('names PRICESENSE_MODEL_DIR when it is not set', async () => {
    expect(await serve(['--aws'], { ...GOOD, PRICESENSE_MODEL_DIR: '' })).toEqual({
      code: 2,
      message: 'pricesense serve: PRICESENSE_MODEL_DIR is not set: --aws serves the extracted model.tar.gz in that directory (the init container writes /opt/ml/model)',
    });
  });

  it('names the model directory that holds no xgboost-model', async () => {
    expect(await serve(['--aws'], { ...GOOD, PRICESENSE_MODEL_DIR: emptyDir })).toEqual({
      code: 2,
      message: `pricesense serve: PRICESENSE_MODEL_DIR ${emptyDir} has no xgboost-model: expected the extracted model.tar.gz of SageMaker's XGBoost training job`,
    });
  });

  it('asks for a Region when neither AWS_REGION nor AWS_DEFAULT_REGION is set', async () => {
    expect(await serve(['--aws'], { ...GOOD, AWS_REGION: '' })).toEqual({
      code: 2,
      message: 'pricesense serve: neither AWS_REGION nor AWS_DEFAULT_REGION is set: --aws needs the Region of the feature group, the table and the registry (e.g. AWS_REGION=us-east-1)',
    });
  });

  it('asks for the model package, which names the reference prices, unless a file is given', async () => {
    expect(await serve(['--aws'], { ...GOOD, PRICESENSE_MODEL_PACKAGE_ARN: '' })).toEqual({
      code: 2,
      message: 'pricesense serve: PRICESENSE_MODEL_PACKAGE_ARN is not set: --aws reads the reference prices of the model\'s gold run through its registered package (or pass --reference-prices FILE)',
    });
  });

  it('refuses a package ARN without a version, showing it', async () => {
    const { code, message } = await serve(['--aws'], { ...GOOD, PRICESENSE_MODEL_PACKAGE_ARN: 'arn:aws:sagemaker:us-east-1:111122223333:model-package-group/pricesense' });
    expect(code).toBe(2);
    expect(message).toBe('pricesense serve: PRICESENSE_MODEL_PACKAGE_ARN must be a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>), got "arn:aws:sagemaker:us-east-1:111122223333:model-package-group/pricesense"');
  });

  it('asks for the gold bucket with a package', async () => {
    expect(await serve(['--aws'], { ...GOOD, PRICESENSE_GOLD_BUCKET: '' })).toEqual({
      code: 2,
      message: 'pricesense serve: PRICESENSE_GOLD_BUCKET is not set: --aws reads gold/run_id=<run>/serving/reference_prices.json from the gold bucket (or pass --reference-prices FILE)',
    });
  });

  it('refuses the local-twin options with --aws', async () => {
    expect(await serve(['--aws', '--state-dir', root], GOOD)).toEqual({
      code: 2,
      message: 'pricesense serve: --state-dir is an option of the local twin: --aws serves the model in $PRICESENSE_MODEL_DIR against AWS',
    });
  });

  it('refuses to serve the local twin when PRICESENSE_MODEL_DIR says the AWS mode was meant', async () => {
    expect(await serve([], GOOD)).toEqual({
      code: 2,
      message: 'pricesense serve: PRICESENSE_MODEL_DIR is set but --aws is not: pass --aws to serve that model against AWS, or unset PRICESENSE_MODEL_DIR to serve the local twin',
    });
  });
});

describe('pricesense serve --aws configuration', () => {
  it('documents the mode and every variable it reads in --help', () => {
    for (const text of ['--aws', 'PRICESENSE_MODEL_DIR', 'PRICESENSE_MODEL_PACKAGE_ARN', 'PRICESENSE_GOLD_BUCKET', 'AWS_REGION', 'PRICESENSE_FEATURE_GROUP', 'PRICESENSE_INFERENCE_TABLE', 'MODEL_DATA_URL']) expect(usage).toContain(text);
  });

  it('reads the environment once into a typed config, flags winning, an empty table meaning no inference log', () => {
    expect(readAwsServeConfig({ ...GOOD, PRICESENSE_FEATURE_GROUP: 'env-group', PRICESENSE_INFERENCE_TABLE: '' }, { featureGroupName: 'flag-group' })).toEqual({
      region: 'us-east-1',
      modelDir,
      modelFile: join(modelDir, 'xgboost-model'),
      modelPackageArn: PACKAGE,
      goldBucket: 'ps-gold',
      featureGroupName: 'flag-group',
    });
  });

  it('defaults the feature group to the stack\'s and takes AWS_DEFAULT_REGION when AWS_REGION is absent', () => {
    const config = readAwsServeConfig({ ...GOOD, AWS_REGION: undefined, AWS_DEFAULT_REGION: 'eu-west-1', PRICESENSE_INFERENCE_TABLE: 'log' });
    expect([config.region, config.featureGroupName, config.inferenceTableName]).toEqual(['eu-west-1', 'pricesense-customer-history', 'log']);
  });

  it('refuses a table name DynamoDB would refuse, naming it', () => {
    expect(() => readAwsServeConfig({ ...GOOD, PRICESENSE_INFERENCE_TABLE: 'a b' })).toThrow('inference table "a b" is not a DynamoDB table name (3-255 letters, digits, _ . -); leave PRICESENSE_INFERENCE_TABLE empty to log nothing');
  });
});
