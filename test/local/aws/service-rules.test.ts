/**
 * Service rules the local emulators enforce the way AWS does (error name and message form as the
 * SDK surfaces them). Each rule cites its AWS page in the emulator source.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { DynamoDbEmulator, itemBytes } from '../../../local/aws/dynamodb.js';
import { GlueEmulator } from '../../../local/aws/glue.js';
import { LambdaEmulator } from '../../../local/aws/lambda.js';
import { ModelPackagesEmulator } from '../../../local/aws/sagemaker/model-packages.js';
import { ModelsEmulator } from '../../../local/aws/sagemaker/models.js';
import { SAGEMAKER_METADATA_PATTERN } from '../../../local/aws/sagemaker/validation.js';
import { SnsEmulator, topicArn } from '../../../local/aws/sns.js';
import { CUSTOMER_METADATA_VALUE_PATTERN, customerMetadataValue } from '../../../workflow/customer-metadata.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('SNS Publish: 256 KB message', () => {
  it('rejects a message over 262,144 bytes with InvalidParameter "Invalid parameter: Message too long"', async () => {
    const sns = new SnsEmulator(tmp('sns-rules-'));
    await sns.createTopic('t');
    await expect(sns.call('Publish', { TopicArn: topicArn('t'), Message: 'x'.repeat(262_145) })).rejects.toMatchObject({ name: 'InvalidParameter', message: 'Invalid parameter: Message too long' });
  });

  it('counts message attributes toward the limit', async () => {
    const sns = new SnsEmulator(tmp('sns-rules-'));
    await sns.createTopic('t');
    const input = { TopicArn: topicArn('t'), Message: 'x'.repeat(262_000), MessageAttributes: { note: { DataType: 'String', StringValue: 'y'.repeat(200) } } };
    await expect(sns.call('Publish', input)).rejects.toMatchObject({ name: 'InvalidParameter' });
  });

  it('accepts exactly 262,144 bytes', async () => {
    const sns = new SnsEmulator(tmp('sns-rules-'));
    await sns.createTopic('t');
    await expect(sns.call('Publish', { TopicArn: topicArn('t'), Message: 'x'.repeat(262_144) })).resolves.toHaveProperty('MessageId');
  });
});

describe('Lambda Invoke: 6 MB synchronous payloads', () => {
  const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:fn';
  const emulator = (result: unknown) => {
    const lambda = new LambdaEmulator({ loadHandler: async () => async () => result });
    lambda.registerFunction({ name: 'fn', arn: ARN, serviceName: 'fn', environment: {}, timeoutSeconds: 3 });
    return lambda;
  };

  it('rejects a request over 6,291,456 bytes with RequestEntityTooLargeException (413)', async () => {
    const payload = JSON.stringify({ data: 'x'.repeat(6_291_456) });
    await expect(emulator({}).call('Invoke', { FunctionName: ARN, Payload: payload })).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('turns a response over the limit into a Function.ResponseSizeTooLarge function error', async () => {
    const out = await emulator({ data: 'x'.repeat(6_291_600) }).call('Invoke', { FunctionName: ARN, Payload: '{}' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(out.Payload as Uint8Array))).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
  });
});

describe('DynamoDB: 400 KB item', () => {
  const table = async () => {
    const db = new DynamoDbEmulator(tmp('ddb-rules-'));
    await db.call('CreateTable', { TableName: 'log', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    return db;
  };

  it('counts attribute names and values as DynamoDB does', () => {
    expect(itemBytes({ pk: { S: 'abc' }, n: { N: '123.45' }, ok: { BOOL: true }, l: { L: [{ S: 'x' }] } })).toBe(2 + 3 + 1 + 4 + 2 + 1 + 1 + (3 + 1 + 1));
  });

  it('rejects an item over 409,600 bytes with ValidationException "Item size has exceeded the maximum allowed size"', async () => {
    const db = await table();
    const item = { pk: { S: 'k' }, body: { S: 'x'.repeat(409_600) } };
    await expect(db.call('PutItem', { TableName: 'log', Item: item })).rejects.toMatchObject({ name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' });
    await expect(db.call('BatchWriteItem', { RequestItems: { log: [{ PutRequest: { Item: item } }] } })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('accepts an item of exactly 400 KB', async () => {
    const db = await table();
    // 2 (pk) + 1 (k) + 4 (body) + value = 409,600
    await expect(db.call('PutItem', { TableName: 'log', Item: { pk: { S: 'k' }, body: { S: 'x'.repeat(409_600 - 7) } } })).resolves.toEqual({});
  });
});

describe('SageMaker: tags and CustomerMetadataProperties', () => {
  const registry = async () => {
    const emulator = new ModelPackagesEmulator({ stateDir: tmp('sm-rules-') });
    await emulator.call('CreateModelPackageGroup', { ModelPackageGroupName: 'g' });
    return emulator;
  };
  const createPackage = (emulator: ModelPackagesEmulator, extra: Record<string, unknown>) =>
    emulator.call('CreateModelPackage', { ModelPackageGroupName: 'g', InferenceSpecification: { Containers: [{ Image: 'img' }] }, ...extra });

  it('rejects a metadata value outside the pattern with AWS\'s map-value message', async () => {
    await expect(createPackage(await registry(), { CustomerMetadataProperties: { dataObject: 's3://raw/week (1)&final.csv' } })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^1 validation error detected: Value '\{dataObject:s3:\/\/raw\/week \(1\)&final\.csv\}' at 'customerMetadataProperties' failed to satisfy constraint: Map value must satisfy constraint: \[Member must satisfy regular expression pattern: \^\(\[\\p\{L\}\\p\{Z\}\\p\{N\}_\.:\/=\+\\-@\]\*\)\$\]$/),
    });
  });

  it('rejects a metadata value over 256 characters', async () => {
    await expect(createPackage(await registry(), { CustomerMetadataProperties: { key: 'a'.repeat(257) } })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 256'),
    });
  });

  it('rejects a tag key outside the pattern and a reserved aws: key, naming the member', async () => {
    const models = new ModelsEmulator({ stateDir: tmp('sm-rules-') });
    const error = await models
      .call('CreateModel', { ModelName: 'm', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/r', PrimaryContainer: { Image: 'img' }, Tags: [{ Key: 'run#1', Value: 'x' }, { Key: 'aws:owner', Value: 'y' }] })
      .catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({ name: 'ValidationException' });
    expect((error as Error).message).toMatch(/^2 validation errors detected: Value 'run#1' at 'tags\.1\.member\.key' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    expect((error as Error).message).toContain("Value 'aws:owner' at 'tags.2.member.key'");
  });
});

describe('RegisterModel metadata from a hostile raw key (workflow/customer-metadata.ts)', () => {
  const HOSTILE_KEYS = [
    'raw/week (1)&final.csv',
    'raw/ümlaut-データ.csv',
    `raw/${'deep/'.repeat(80)}x.csv`,
    'raw/quote"back\\slash\ttab\nnewline.csv',
    'raw/emoji-🙂.csv',
    'raw/percent%20and#hash?.csv',
  ];

  it.each(HOSTILE_KEYS)('sanitizes %j to SageMaker\'s value pattern, at most 256 characters, deterministically', async (key) => {
    const expression = jsonata(customerMetadataValue(`'s3://' & $run.bucket & '/' & $run.key`));
    const bindings = { run: { bucket: 'pricesense-raw', key } };
    const value = (await expression.evaluate({}, bindings)) as string;

    expect(value).toMatch(CUSTOMER_METADATA_VALUE_PATTERN);
    expect(value).toMatch(SAGEMAKER_METADATA_PATTERN);
    expect([...value].length).toBeLessThanOrEqual(256);
    expect(value.startsWith('s3://pricesense-raw/raw/')).toBe(true);
    expect(await expression.evaluate({}, bindings)).toBe(value);
  });

  it('leaves a plain key unchanged', async () => {
    const value = await jsonata(customerMetadataValue(`'s3://' & $run.bucket & '/' & $run.key`)).evaluate({}, { run: { bucket: 'b', key: 'raw/2024-01/transactions_week-01.csv' } });
    expect(value).toBe('s3://b/raw/2024-01/transactions_week-01.csv');
  });
});

describe('Glue: job argument names and size', () => {
  it.each([
    ['a name without --', { run_id: 'x' }, 'argument name "run_id" must start with "--"'],
    ['--conf', { '--conf': 'spark.x=y' }, '--conf is reserved for AWS Glue\'s internal use'],
    ['--JOB_NAME', { '--JOB_NAME': 'other' }, '--JOB_NAME is reserved'],
    ['arguments over 260 KB', { '--big': 'x'.repeat(260 * 1024) }, 'job arguments have a maximum size limit of 260KB'],
  ])('StartJobRun refuses %s with InvalidInputException', async (_case, args, message) => {
    const glue = new GlueEmulator({ stateDir: tmp('glue-rules-') });
    await glue.call('CreateJob', { Name: 'job', Role: 'arn:aws:iam::000000000000:role/glue', Command: { Name: 'glueetl', ScriptLocation: 's3://b/raw_to_silver.py' } });
    await expect(glue.call('StartJobRun', { JobName: 'job', Arguments: args })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining(message) });
  });
});
