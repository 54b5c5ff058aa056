/**
 * How IngestAndTrain's Catch turns the Parallel's error back into `$failure`: a branch's Fail state
 * raises the failed state's error with its record {state, error, cause} as the cause, and the Catch
 * restores that record; any other error of the Parallel is recorded against IngestAndTrain itself.
 * Evaluated with the local interpreter's JSONata (Step Functions' $parse included).
 */
import { describe, expect, it } from 'vitest';
import { evaluateJsonata } from '../../local/asl/data-flow/jsonata.js';
import { aslForTest } from '../support/synth.js';

const parallel = aslForTest().States.IngestAndTrain!;
const restore = parallel.Catch![0]!.Assign!.failure as string;

const failureFor = (errorOutput: { Error: string; Cause?: string }) =>
  evaluateJsonata(restore, { input: {}, context: {}, errorOutput }, {}, 'Catch[0].Assign.failure');

describe('IngestAndTrain failure record', () => {
  it('restores the failed branch state, error and cause from the branch Fail state\'s cause', async () => {
    const record = { state: 'TrainModel', error: 'States.TaskFailed', cause: '{"TrainingJobStatus":"Failed"}' };

    expect(await failureFor({ Error: 'States.TaskFailed', Cause: JSON.stringify(record) })).toEqual(record);
  });

  it('records any other error of the Parallel against IngestAndTrain, with the bounded cause', async () => {
    expect(await failureFor({ Error: 'States.QueryEvaluationError', Cause: 'The JSONata expression returned nothing' })).toEqual({
      state: 'IngestAndTrain',
      error: 'States.QueryEvaluationError',
      cause: 'The JSONata expression returned nothing',
    });
    expect(await failureFor({ Error: 'States.BranchFailed', Cause: '{"stateX": 1}' })).toEqual({ state: 'IngestAndTrain', error: 'States.BranchFailed', cause: '{"stateX": 1}' });
  });

  it('records a cause AWS left out as null', async () => {
    expect(await failureFor({ Error: 'States.Timeout' })).toEqual({ state: 'IngestAndTrain', error: 'States.Timeout', cause: null });
  });

  it('finds the record whatever the order of its keys', async () => {
    const cause = '{"error":"States.TaskFailed","cause":"boom","state":"TuneModel"}';

    expect(await failureFor({ Error: 'States.TaskFailed', Cause: cause })).toEqual({ state: 'TuneModel', error: 'States.TaskFailed', cause: 'boom' });
  });
});
