import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { buildStateTimeline, stateDurations } from '../../../local/execution-history/state-timeline.js';

const t = (seconds: number) => new Date(Date.UTC(2026, 10, 21, 12, 0, seconds));

/** A history shaped like GetExecutionHistory: a retried task that heals, then a caught failure. */
function history(): HistoryEvent[] {
  return [
    { id: 1, type: 'ExecutionStarted', timestamp: t(0), executionStartedEventDetails: { input: '{"bucket":"raw","key":"raw/a.csv"}' } },
    { id: 2, previousEventId: 1, type: 'TaskStateEntered', timestamp: t(0), stateEnteredEventDetails: { name: 'ValidateInput', input: '{"bucket":"raw"}' } },
    { id: 3, previousEventId: 2, type: 'TaskScheduled', timestamp: t(0), taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{}' } },
    { id: 4, previousEventId: 3, type: 'TaskStarted', timestamp: t(0), taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke' } },
    { id: 5, previousEventId: 4, type: 'TaskFailed', timestamp: t(1), taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' } },
    { id: 6, previousEventId: 5, type: 'TaskScheduled', timestamp: t(2), taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{}' } },
    { id: 7, previousEventId: 6, type: 'TaskStarted', timestamp: t(2), taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke' } },
    { id: 8, previousEventId: 7, type: 'TaskSucceeded', timestamp: t(3), taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: '{"Payload":{"runId":"r1"}}' } },
    { id: 9, previousEventId: 8, type: 'TaskStateExited', timestamp: t(3), stateExitedEventDetails: { name: 'ValidateInput', output: '{"runId":"r1"}' } },
    { id: 10, previousEventId: 9, type: 'TaskStateEntered', timestamp: t(3), stateEnteredEventDetails: { name: 'TrainModel', input: '{}' } },
    { id: 11, previousEventId: 10, type: 'TaskScheduled', timestamp: t(3), taskScheduledEventDetails: { resourceType: 'sagemaker', resource: 'createTrainingJob.sync', region: 'us-east-1', parameters: '{}' } },
    { id: 12, previousEventId: 11, type: 'TaskFailed', timestamp: t(10), taskFailedEventDetails: { resourceType: 'sagemaker', resource: 'createTrainingJob.sync', error: 'States.TaskFailed', cause: 'AlgorithmError' } },
    { id: 13, previousEventId: 12, type: 'TaskStateExited', timestamp: t(10), stateExitedEventDetails: { name: 'TrainModel', output: '{}' } },
    { id: 14, previousEventId: 13, type: 'FailStateEntered', timestamp: t(11), stateEnteredEventDetails: { name: 'PipelineFailed', input: '{}' } },
    { id: 15, previousEventId: 14, type: 'ExecutionFailed', timestamp: t(11), executionFailedEventDetails: { error: 'States.TaskFailed', cause: 'AlgorithmError' } },
  ] as HistoryEvent[];
}

describe('buildStateTimeline', () => {
  it('counts a healed retry as two attempts of a succeeded state and keeps its task result', () => {
    const [validate] = buildStateTimeline(history());
    expect(validate).toMatchObject({ name: 'ValidateInput', outcome: 'succeeded', attempts: 2, taskResult: { Payload: { runId: 'r1' } } });
    expect(validate?.error).toBeUndefined();
  });

  it('marks a task whose failure was caught as caught, with the error and cause', () => {
    const train = buildStateTimeline(history()).find((record) => record.name === 'TrainModel');
    expect(train).toMatchObject({ outcome: 'caught', error: 'States.TaskFailed', cause: 'AlgorithmError', attempts: 1 });
  });

  it('marks the Fail state failed', () => {
    const fail = buildStateTimeline(history()).at(-1);
    expect(fail).toMatchObject({ name: 'PipelineFailed', type: 'Fail', outcome: 'failed' });
  });

  it('measures each state from entry to exit', () => {
    expect(stateDurations(buildStateTimeline(history()))).toEqual({ ValidateInput: 3000, TrainModel: 7000, PipelineFailed: 0 });
  });
});
