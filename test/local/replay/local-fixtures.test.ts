/**
 * Histories of real local pipeline runs (`pricesense run --rows 20000 --deploy-target none`, one
 * passing the gate, one with label noise 0.6 failing it), with their Distributed Map runs,
 * replayed against the definition the CDK app synthesizes today.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecordedExecution, replayExecution, type RecordedExecution } from '../../../local/replay/index.js';
import { pipelineDefinition } from '../../support/workflow-test.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const success = (): RecordedExecution => readRecordedExecution(join(fixtures, 'local-pipeline-success.history.json'));
const gateFailure = (): RecordedExecution => readRecordedExecution(join(fixtures, 'local-pipeline-gate-failure.history.json'));

/** A copy whose IngestFeatureFile child reports a different number of records written. */
function withRecordsWritten(recording: RecordedExecution, recordsWritten: number): RecordedExecution {
  const mapRuns = structuredClone(recording.mapRuns ?? []);
  for (const event of mapRuns[0]?.executions[0]?.history ?? []) {
    const details = event.lambdaFunctionSucceededEventDetails ?? event.taskSucceededEventDetails;
    if (!details?.output) continue;
    const output = JSON.parse(details.output) as { Payload?: { recordsWritten?: number } };
    if (output.Payload?.recordsWritten !== undefined) output.Payload.recordsWritten = recordsWritten;
    details.output = JSON.stringify(output);
  }
  return { ...recording, mapRuns };
}

describe('replay of recorded local pipeline runs', () => {
  let definition: object;

  beforeAll(async () => {
    definition = await pipelineDefinition({ deployTarget: 'none' });
  }, 120_000);

  it('replays the successful run identically, Distributed Map children included', async () => {
    const report = await replayExecution({ recording: success(), definition });

    expect([report.divergences, report.replayed.status, report.replayed.path.length]).toEqual([[], 'SUCCEEDED', 18]);
  });

  it('replays the gate failure identically, ending in ModelBelowThreshold', async () => {
    const report = await replayExecution({ recording: gateFailure(), definition });

    expect([report.identical, report.replayed.status, report.replayed.error, report.replayed.path.at(-1)]).toEqual([
      true,
      'FAILED',
      'ModelBelowThreshold',
      'ModelBelowThreshold',
    ]);
  });

  it('shows where a copy with one edited child result diverges: CreateModel, after IngestAndTrain, gets a different input', async () => {
    const report = await replayExecution({ recording: withRecordsWritten(success(), 7), definition });

    expect([report.identical, report.divergences[0]?.kind, report.divergences[0]?.state, report.divergences[0]?.replayedInput]).toEqual([
      false,
      'state-input',
      'CreateModel',
      { recordsWritten: 7, recordsFailed: 0 },
    ]);
  });

  it('without the Map Run records reports that the Distributed Map has no recorded result', async () => {
    const recording = { ...success() };
    delete recording.mapRuns;

    const report = await replayExecution({ recording, definition });

    expect([report.identical, report.divergences[0]?.kind, report.divergences[0]?.state]).toEqual([false, 'no-recorded-result', 'IngestFeatures']);
  });
});
