import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsEmulator, topicArn } from '../../../local/aws/sns.js';

let sns: SnsEmulator;

beforeEach(async () => {
  sns = new SnsEmulator(mkdtempSync(join(tmpdir(), 'sns-test-')));
  await sns.createTopic('pricesense-notifications');
});

describe('SnsEmulator', () => {
  it('appends a published message to the outbox', async () => {
    const out = await sns.call('Publish', { TopicArn: topicArn('pricesense-notifications'), Subject: 'Run failed', Message: 'TrainModel failed' });
    expect(await sns.outbox()).toEqual([
      { MessageId: out.MessageId, TopicArn: topicArn('pricesense-notifications'), Subject: 'Run failed', Message: 'TrainModel failed', Timestamp: expect.any(String) },
    ]);
  });

  it('fails publishing to an unknown topic with NotFound', async () => {
    await expect(sns.call('Publish', { TopicArn: topicArn('other'), Message: 'x' })).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });

  it('rejects an empty message', async () => {
    await expect(sns.call('Publish', { TopicArn: topicArn('pricesense-notifications'), Message: '' })).rejects.toMatchObject({ name: 'InvalidParameter' });
  });
});
