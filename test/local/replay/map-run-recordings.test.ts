/**
 * The items a Distributed Map's ItemReader returned, rebuilt from its Map Run's children: found
 * for a Map at the top level and for one inside a Parallel branch (the pipeline's IngestFeatures
 * runs in a branch of IngestAndTrain; replay answered "no recorded result" for it before).
 */
import { describe, expect, it } from 'vitest';
import type { MapRunRecord, StateMachineDefinition } from '../../../local/asl/index.js';
import { readerItemsFromMapRuns } from '../../../local/replay/map-run-recordings.js';

const distributedMap = {
  Type: 'Map',
  ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Arguments: { Bucket: 'b', Prefix: 'p/' } },
  ItemBatcher: { MaxItemsPerBatch: 2 },
  ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { Type: 'Pass', End: true } } },
  End: true,
};

function mapRun(stateName: string): MapRunRecord {
  const child = (index: number, keys: string[]) => ({
    name: `child-${index}`,
    index,
    status: 'SUCCEEDED' as const,
    input: { Items: keys.map((Key) => ({ Key })), BatchInput: {} },
    history: [],
  });
  // Children listed out of order: items come back in child-index order.
  return { mapRunArn: `arn:aws:states:us-east-1:000000000000:mapRun:sm/${stateName}:1`, stateName, status: 'SUCCEEDED', executions: [child(1, ['c']), child(0, ['a', 'b'])] };
}

describe('readerItemsFromMapRuns', () => {
  it('rebuilds the items of a top-level Distributed Map, batches joined in child order', () => {
    const definition = { StartAt: 'Ingest', States: { Ingest: distributedMap } } as unknown as StateMachineDefinition;

    expect(readerItemsFromMapRuns(definition, [mapRun('Ingest')]).get('Ingest')).toEqual([{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }]);
  });

  it('finds a Distributed Map inside a Parallel branch', () => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ingest', States: { Ingest: distributedMap } },
            { StartAt: 'Train', States: { Train: { Type: 'Pass', End: true } } },
          ],
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;

    expect(readerItemsFromMapRuns(definition, [mapRun('Ingest')]).get('Ingest')).toEqual([{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }]);
  });
});
