import { DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListMapRunsCommand, SFNClient } from '@aws-sdk/client-sfn';
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

describe('recordExecution with a Distributed Map', () => {
  const mapRunArn = 'arn:aws:states:us-east-1:123456789012:mapRun:basket-scoring/IngestFeatures:3f1d2c';
  const child = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:basket-scoring/IngestFeatures:${name}`;

  it('records every child execution of each Map Run, in item order, with its history', async () => {
    sfn.on(GetExecutionHistoryCommand, { executionArn: arn, includeExecutionData: true, maxResults: 1000 }).resolves({
      events: [event(1, 'ExecutionStarted'), event(2, 'MapStateEntered'), event(3, 'MapRunStarted')],
    });
    sfn.on(DescribeStateMachineForExecutionCommand).resolves({} as never);
    sfn.on(ListMapRunsCommand, { executionArn: arn }).resolves({ mapRuns: [{ executionArn: arn, mapRunArn, stateMachineArn: 'x', startDate: new Date(0) }] });
    // Listed newest first, as AWS does: the recording must put them back in item (key) order.
    sfn.on(ListExecutionsCommand, { mapRunArn }).resolves({
      executions: [
        { executionArn: child('b'), stateMachineArn: 'x', name: 'b', status: 'FAILED', startDate: new Date(2) },
        { executionArn: child('a'), stateMachineArn: 'x', name: 'a', status: 'SUCCEEDED', startDate: new Date(1) },
      ],
    });
    sfn.on(DescribeExecutionCommand, { executionArn: child('a') }).resolves({ executionArn: child('a'), status: 'SUCCEEDED', input: '{"Items":[{"Key":"gold/part-00000.csv"}]}', output: '{"recordsWritten":10}', stateMachineArn: 'x', startDate: new Date(1) });
    sfn.on(DescribeExecutionCommand, { executionArn: child('b') }).resolves({ executionArn: child('b'), status: 'FAILED', input: '{"Items":[{"Key":"gold/part-00001.csv"}]}', error: 'FeatureIngestionFailed', cause: '2 records failed', stateMachineArn: 'x', startDate: new Date(2) });
    sfn.on(GetExecutionHistoryCommand, { executionArn: child('a') }).resolves({ events: [event(1, 'ExecutionStarted'), event(2, 'ExecutionSucceeded')] });
    sfn.on(GetExecutionHistoryCommand, { executionArn: child('b') }).resolves({ events: [event(1, 'ExecutionStarted'), event(2, 'ExecutionFailed')] });

    const recording = await recordExecution(new SFNClient({ region: 'us-east-1' }), arn);

    expect(recording.mapRuns).toHaveLength(1);
    expect(recording.mapRuns?.[0]).toMatchObject({ mapRunArn, stateName: 'IngestFeatures', status: 'FAILED' });
    expect(recording.mapRuns?.[0]?.executions.map((e) => [e.index, e.name, e.status, e.error ?? null])).toEqual([
      [0, 'a', 'SUCCEEDED', null],
      [1, 'b', 'FAILED', 'FeatureIngestionFailed'],
    ]);
    expect(recording.mapRuns?.[0]?.executions[0]?.output).toEqual({ recordsWritten: 10 });
    expect(recording.mapRuns?.[0]?.executions[1]?.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionFailed']);
  });

  it('makes no Map Run calls for an execution without a Distributed Map', async () => {
    sfn.on(DescribeStateMachineForExecutionCommand).resolves({} as never);

    const recording = await recordExecution(new SFNClient({ region: 'us-east-1' }), arn);

    expect(recording.mapRuns).toBeUndefined();
    expect(sfn).not.toHaveReceivedCommand(ListMapRunsCommand);
  });
});
