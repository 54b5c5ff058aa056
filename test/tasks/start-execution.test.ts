import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { executionNameForObject } from '../../tasks/core/start-execution/execution-name.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    RAW_BUCKET: 'ps-raw',
    STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:pricesense',
  });
});

const { handler } = await import('../../tasks/start-execution.js');

const sfn = mockClient(SFNClient);
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:pricesense';

function objectCreated(key: string, etag = 'd41d8cd98f00b204e9800998ecf8427e', bucket = 'ps-raw') {
  return {
    version: '0',
    id: 'a1b2',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'eu-west-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: { version: '0', bucket: { name: bucket }, object: { key, size: 100, etag, sequencer: '00A' }, reason: 'PutObject' },
  };
}

beforeEach(() => {
  sfn.reset();
});

describe('start-execution', () => {
  it('starts an execution named after the object, with the event as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE_ARN}:x`, startDate: new Date() });
    const event = objectCreated('raw/2026/week-47.csv');
    const expectedName = executionNameForObject('ps-raw', 'raw/2026/week-47.csv', 'd41d8cd98f00b204e9800998ecf8427e');

    const result = await handler(event);

    expect(result).toEqual({ status: 'started', executionName: expectedName, executionArn: `${STATE_MACHINE_ARN}:x` });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: expectedName,
      input: JSON.stringify(event),
    });
  });

  it('reports a duplicate event (ExecutionAlreadyExists) without failing', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

    const result = await handler(objectCreated('raw/week-47.csv'));

    expect(result).toMatchObject({ status: 'duplicate', executionName: executionNameForObject('ps-raw', 'raw/week-47.csv', 'd41d8cd98f00b204e9800998ecf8427e') });
  });

  it('gives two deliveries of the same event the same execution name', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });

    await handler(objectCreated('raw/week-47.csv'));
    await handler({ ...objectCreated('raw/week-47.csv'), id: 'another-delivery' });

    const names = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(names[0]).toBe(names[1]);
  });

  it('ignores keys outside raw/', async () => {
    const result = await handler(objectCreated('quarantine/run/raw/week.csv'));

    expect(result).toEqual({ status: 'ignored', reason: 'key quarantine/run/raw/week.csv is outside raw/' });
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('ignores objects that are not .csv or .csv.gz', async () => {
    const result = await handler(objectCreated('raw/readme.txt'));

    expect(result).toEqual({ status: 'ignored', reason: 'key raw/readme.txt does not end in .csv or .csv.gz' });
  });

  it('ignores other buckets', async () => {
    const result = await handler(objectCreated('raw/week.csv', 'e', 'someone-else'));

    expect(result).toEqual({ status: 'ignored', reason: 'bucket someone-else is not the raw bucket ps-raw' });
  });

  it('rejects an event that is not an S3 Object Created event', async () => {
    await expect(handler({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: {} })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
      message: expect.stringContaining('source = "aws.ec2"'),
    });
  });

  it('rejects a console-style input', async () => {
    await expect(handler({ bucket: 'ps-raw', key: 'raw/week.csv' })).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
  });

  it('lets other StartExecution errors through for the event source to retry', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(handler(objectCreated('raw/week.csv'))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('executionNameForObject', () => {
  it('keeps a readable key tail followed by a 16-hex hash', () => {
    expect(executionNameForObject('ps-raw', 'raw/2026/week 47.csv.gz', 'etag')).toMatch(/^2026-week-47-[0-9a-f]{16}$/);
  });

  it('stays within 80 characters of [A-Za-z0-9-] for a very long key', () => {
    const name = executionNameForObject('ps-raw', `raw/${'very-long-folder/'.repeat(20)}file[1].csv`, 'etag');

    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9-]+$/);
    expect(name).toMatch(/file-1-[0-9a-f]{16}$/);
  });

  it('differs when the same key is uploaded with new content (ETag)', () => {
    expect(executionNameForObject('ps-raw', 'raw/week.csv', 'etag-a')).not.toBe(executionNameForObject('ps-raw', 'raw/week.csv', 'etag-b'));
  });
});
