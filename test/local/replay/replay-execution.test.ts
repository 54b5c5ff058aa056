import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordedExecution, replayExecution, type RecordedExecution } from '../../../local/replay/index.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'aws-basket-scoring.history.json');

function withScoreResult(recording: RecordedExecution, basketId: string, segment: string): RecordedExecution {
  const events = structuredClone(recording.events);
  for (const event of events) {
    const details = event.taskSucceededEventDetails;
    if (!details?.output) continue;
    const output = JSON.parse(details.output) as { Payload?: { basketId?: string; segment?: string } };
    if (output.Payload?.basketId === basketId && output.Payload.segment !== undefined) {
      output.Payload.segment = segment;
      details.output = JSON.stringify(output);
    }
  }
  return { ...recording, events };
}

describe('replayExecution', () => {
  it('replays the recorded AWS-format history identically against its own definition', async () => {
    const recording = readRecordedExecution(fixture);

    const report = await replayExecution({ recording });

    expect(report.divergences).toEqual([]);
    expect(report.identical).toBe(true);
    expect(report.replayed.path).toEqual(['LoadBatch', 'ScoreBaskets', 'ScoreBasket', 'ScoreBasket', 'ScoreBasket', 'IsSensitive', 'FlagForReview', 'Done']);
    expect(report.replayed.output).toEqual({ flagged: 'k2' });
  });

  it('feeds the recorded throttling error back so the retry happens again', async () => {
    const report = await replayExecution({ recording: readRecordedExecution(fixture) });

    const failures = report.history.filter((event) => event.type === 'TaskFailed').map((event) => event.taskFailedEventDetails?.error);
    expect(failures).toEqual(['Lambda.TooManyRequestsException']);
  });

  it('shows where a history edited to change one Map iteration result diverges', async () => {
    const edited = withScoreResult(readRecordedExecution(fixture), 'k2', 'MM');

    const report = await replayExecution({ recording: edited });

    expect(report.identical).toBe(false);
    expect(report.pathMatches).toBe(false);
    expect(report.divergences[0]).toMatchObject({ kind: 'state-input', state: 'IsSensitive' });
    expect(report.divergences.map((d) => d.kind)).toContain('state-not-reached');
    expect(report.replayed.output).toEqual([
      { basketId: 'k1', segment: 'MM' },
      { basketId: 'k2', segment: 'MM' },
      { basketId: 'k3', segment: 'UM' },
    ]);
  });

  it('reports a changed definition that calls a Task with different parameters', async () => {
    const recording = readRecordedExecution(fixture);
    const definition = structuredClone(recording.definition) as { States: { LoadBatch: { Arguments: { Payload: string } } } };
    definition.States.LoadBatch.Arguments.Payload = '{% $merge([$states.input, {"limit": 100}]) %}';

    const report = await replayExecution({ recording, definition });

    expect(report.divergences[0]).toMatchObject({
      kind: 'task-input',
      state: 'LoadBatch',
      recordedInput: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:load-batch', Payload: { batchId: 'b-42' } },
      replayedInput: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:load-batch', Payload: { batchId: 'b-42', limit: 100 } },
    });
    expect(report.outcomeMatches).toBe(true);
  });

  it('names a Task the recording has no result for', async () => {
    const recording = readRecordedExecution(fixture);
    const definition = structuredClone(recording.definition) as { States: Record<string, Record<string, unknown>> };
    definition.States.FlagForReview = { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:review', Message: 'x' }, Next: 'Done' };

    const report = await replayExecution({ recording, definition });

    expect(report.divergences[0]).toMatchObject({ kind: 'no-recorded-result', state: 'FlagForReview', invocation: 0 });
    expect(report.replayed.status).toBe('FAILED');
  });
});
