/**
 * Each emulator's request checks, error name and message as the service sends them: written before
 * the checks moved into local/aws/request-validation.ts, so the move keeps them exactly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplicationAutoScalingEmulator } from '../../../local/aws/application-autoscaling.js';
import { DynamoDbEmulator } from '../../../local/aws/dynamodb.js';
import { createFeatureStore } from '../../../local/aws/feature-store/index.js';
import { GlueEmulator } from '../../../local/aws/glue.js';

const stateDir = (): string => mkdtempSync(join(tmpdir(), 'pricesense-validation-'));
const target = { ServiceNamespace: 'sagemaker', ResourceId: 'endpoint/pricesense/variant/AllTraffic', ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' };

describe('Application Auto Scaling request checks (ValidationException)', () => {
  const emulator = new ApplicationAutoScalingEmulator({ stateDir: stateDir() });

  it('names a missing required member', async () => {
    await expect(emulator.call('RegisterScalableTarget', { ...target, ServiceNamespace: undefined })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'ServiceNamespace is required and must be a non-empty string, got null',
    });
  });

  it('names a capacity that is not a whole number', async () => {
    await expect(emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 1.5, MaxCapacity: 2 })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'MinCapacity must be a whole number of at least 0, got 1.5',
    });
  });
});

describe('Glue request checks (InvalidInputException)', () => {
  const glue = new GlueEmulator({ stateDir: stateDir() });

  it('names a job name that is missing', async () => {
    await expect(glue.call('StartJobRun', {})).rejects.toMatchObject({ name: 'InvalidInputException', message: 'JobName must be a string of 1-255 characters, got null' });
  });

  it('names a job name that is too long', async () => {
    await expect(glue.call('CreateJob', { Name: 'j'.repeat(256), Command: { ScriptLocation: 's3://b/s.py' } })).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: `Name must be a string of 1-255 characters, got "${'j'.repeat(256)}"`,
    });
  });

  it('names MaxResults out of range', async () => {
    await expect(glue.call('GetJobRuns', { JobName: 'pricesense-raw-to-silver', MaxResults: 500 })).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: 'MaxResults must be a whole number from 1 to 200, got 500',
    });
  });

  it('names a job without a script location', async () => {
    await expect(glue.call('CreateJob', { Name: 'j', Command: {} })).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: 'Command.ScriptLocation is required: the S3 URI of the job script',
    });
  });
});

describe('DynamoDB request checks (ValidationException)', () => {
  const db = new DynamoDbEmulator(stateDir());

  it('names a table name outside the allowed length and characters', async () => {
    await expect(db.call('CreateTable', { TableName: 'ab', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'TableName must be 3-255 characters of [a-zA-Z0-9_.-], got "ab"',
    });
  });

  it('names a key schema without a HASH key', async () => {
    await expect(db.call('CreateTable', { TableName: 'log', KeySchema: [{ AttributeName: 'ts', KeyType: 'RANGE' }] })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'KeySchema needs one HASH key (and optionally one RANGE key)',
    });
  });
});

describe('Feature Store request checks (ValidationException; runtime ValidationError)', () => {
  const store = createFeatureStore(stateDir(), { maxBufferedRows: 10, flushAfterMs: 60_000 });
  const group = {
    FeatureGroupName: 'customers',
    RecordIdentifierFeatureName: 'id',
    EventTimeFeatureName: 'at',
    FeatureDefinitions: [{ FeatureName: 'id', FeatureType: 'String' }, { FeatureName: 'at', FeatureType: 'Fractional' }],
    OnlineStoreConfig: { EnableOnlineStore: true },
  };

  it('names a feature group name that breaks the pattern', async () => {
    await expect(store.groups.call('CreateFeatureGroup', { ...group, FeatureGroupName: '-bad' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'FeatureGroupName must be 1-64 letters, digits, - or _, starting and ending with a letter or digit, got "-bad"',
    });
  });

  it('names a feature type outside the enum', async () => {
    const definitions = [{ FeatureName: 'id', FeatureType: 'Text' }];
    await expect(store.groups.call('CreateFeatureGroup', { ...group, FeatureDefinitions: definitions })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'FeatureDefinitions[0].FeatureType must be one of Integral, Fractional, String, got "Text"',
    });
  });

  it('names a missing feature group name at PutRecord', async () => {
    await expect(store.runtime.call('PutRecord', { Record: [] })).rejects.toMatchObject({ name: 'ValidationError', message: 'FeatureGroupName is required, got null' });
  });
});
