import { describe, expect, it } from 'vitest';
import type { AwsServiceEmulator } from '../../../local/aws/emulator.js';
import { LocalAws } from '../../../local/aws/registry.js';

const emulator = (service: string, actions: string[]): AwsServiceEmulator => ({ service, actions, call: async (action) => ({ servedBy: `${service}:${actions.join('+')}`, action }) });

describe('LocalAws', () => {
  it('routes an action to the emulator of the service that implements it', async () => {
    const aws = new LocalAws().register(emulator('sagemaker', ['CreateTrainingJob'])).register(emulator('sagemaker', ['CreateFeatureGroup']));
    expect(await aws.call('sagemaker', 'CreateFeatureGroup', {})).toEqual({ servedBy: 'sagemaker:CreateFeatureGroup', action: 'CreateFeatureGroup' });
  });

  it('names the implemented actions when an action is unknown', async () => {
    const aws = new LocalAws().register(emulator('s3', ['PutObject', 'GetObject']));
    await expect(aws.call('s3', 'PutBucketPolicy', {})).rejects.toThrow('The local s3 emulators do not implement PutBucketPolicy. Implemented: GetObject, PutObject');
  });

  it('names the implemented services when a service is unknown', async () => {
    const aws = new LocalAws().register(emulator('s3', ['PutObject']));
    await expect(aws.call('kinesis', 'PutRecord', {})).rejects.toThrow(/kinesis.*Implemented services: s3/);
  });

  it('refuses two emulators for the same action', () => {
    const aws = new LocalAws().register(emulator('s3', ['PutObject']));
    expect(() => aws.register(emulator('s3', ['PutObject']))).toThrow(/s3:PutObject/);
  });
});
