/**
 * The README's example of `pricesense/testing`: a production failure (here the recorded gate
 * failure) becomes a MockConfigFile test case, and the workflow run with it takes the recorded
 * path to the recorded error; the recording itself replays identical.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectPath, loadRecording, mockConfigFor, replayRecording, runWithMocks, PathMismatchError } from 'pricesense/testing';

const recordingFile = join(import.meta.dirname, '..', '..', 'fixtures', 'local-pipeline-gate-failure.history.json');

describe('pricesense/testing', () => {
  it('runs the workflow with the mock config written from a recording and ends as the recording did', async () => {
    const recording = loadRecording(recordingFile);
    const input = JSON.parse(String(recording.execution?.input));

    const result = await runWithMocks({ definition: recording.definition as object, input, mockConfig: mockConfigFor(recording, 'GateFailure'), testCase: 'GateFailure' });

    expect([result.status, result.error]).toEqual(['FAILED', 'ModelBelowThreshold']);
    expectPath(result, [
      'ValidateInput', 'RawToSilver', 'SilverToGold', 'CheckDataQuality', 'ReadDataQualityResults', 'DataQualityGate',
      'IngestAndTrain', 'IngestFeatures', 'TrainModel', 'IngestFeatureFile', 'CreateModel', 'ScoreTestSplit', 'EvaluateModel', 'RecordExperiment', 'MetricGate', 'ModelBelowThreshold',
    ]);
  });

  it('writes every Task invocation as a Return or Throw under its state, invocations counted from 0', () => {
    const config = mockConfigFor(recordingFile, 'GateFailure');

    expect(Object.keys(config.StateMachines)).toEqual(['pricesense-pipeline']);
    expect(config.StateMachines['pricesense-pipeline']?.TestCases.GateFailure?.TrainModel).toBe('GateFailure.TrainModel');
    expect(Object.keys(config.MockedResponses['GateFailure.TrainModel'] ?? {})).toEqual(['0']);
    expect(Object.keys(config.MockedResponses['GateFailure.TrainModel']?.['0'] ?? {})).toEqual(['Return']);
  });

  it('replays a recording identical against the definition it ran', async () => {
    const report = await replayRecording(recordingFile);

    expect([report.identical, report.replayed.error]).toEqual([true, 'ModelBelowThreshold']);
  });

  it('expectPath says where the path parts', () => {
    expect(() => expectPath({ path: ['A', 'B', 'C'] }, ['A', 'X', 'C'])).toThrow(PathMismatchError);
    expect(() => expectPath({ path: ['A', 'B', 'C'] }, ['A', 'X', 'C'])).toThrow(/from state 2: expected "X", got "B"/);
  });
});
