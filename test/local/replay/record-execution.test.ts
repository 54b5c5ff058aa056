import { DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordExecution } from '../../../local/replay/record-execution.js';

const arn = 'arn:aws:states:us-east-1:123456789012:execution:basket-scoring:score-b-42';
const sfn = mockClient(SFNClient);
const event = (id: number, type: string) => ({ id, previousEventId: id - 1, type, timestamp: new Date('2025-03-14T09:26:53.589Z') }) as never;

beforeEach(() => {
  sfn.reset();
  sfn.on(DescribeExecutionCommand).resolves({ executionArn: arn, name: 'score-b-42', status: 'SUCCEEDED', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:basket-scoring', startDate: new Date('2025-03-14T09:26:53.589Z') });
  sfn.on(GetExecutionHistoryCommand, { executionArn: arn, includeExecutionData: true, maxResults: 1000 }).resolves({ events: [event(1, 'ExecutionStarted'), event(2, 'PassStateEntered')], nextToken: 'page-2' });
  sfn.on(GetExecutionHistoryCommand, { executionArn: arn, includeExecutionData: true, maxResults: 1000, nextToken: 'page-2' }).resolves({ events: [event(3, 'PassStateExited'), event(4, 'ExecutionSucceeded')] });
});

describe('recordExecution', () => {
  it('follows nextToken through every history page', async () => {
    sfn.on(DescribeStateMachineForExecutionCommand).resolves({ definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' } as never);

    const recording = await recordExecution(new SFNClient({ region: 'us-east-1' }), arn);

    expect(recording.events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(recording.definition).toEqual({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    expect(recording.execution.name).toBe('score-b-42');
  });

  it('records without a definition when DescribeStateMachineForExecution is denied', async () => {
    sfn.on(DescribeStateMachineForExecutionCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    const recording = await recordExecution(new SFNClient({ region: 'us-east-1' }), arn);

    expect(recording.definition).toBeUndefined();
    expect(recording.events).toHaveLength(4);
  });

  it('explains an AccessDenied on the history with the permission to grant', async () => {
    sfn.on(GetExecutionHistoryCommand).rejects(Object.assign(new Error('User is not authorized to perform: states:GetExecutionHistory'), { name: 'AccessDeniedException' }));

    await expect(recordExecution(new SFNClient({ region: 'us-east-1' }), arn)).rejects.toThrow(
      `AWS denied GetExecutionHistory on ${arn}: User is not authorized to perform: states:GetExecutionHistory. Grant states:GetExecutionHistory`,
    );
  });
});
