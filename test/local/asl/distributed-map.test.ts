import { describe, expect, it } from 'vitest';
import { TaskFailedError, type TaskInvocation } from '../../../local/asl/index.js';
import { run, single } from './run-helper.js';

const LIST = 'arn:aws:states:::s3:listObjectsV2';
const GET = 'arn:aws:states:::s3:getObject';
const WORK = 'arn:aws:states:::lambda:invoke';

function distributed(extra: object): object {
  return single({
    Type: 'Map',
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: WORK, End: true } },
    },
    ...extra,
  });
}

describe('Map (distributed)', () => {
  it('ItemReader listObjectsV2 passes its Parameters and maps over Contents', async () => {
    const calls: TaskInvocation[] = [];
    const result = await run(
      distributed({ ItemReader: { Resource: LIST, Parameters: { Bucket: 'raw', 'Prefix.$': '$.prefix' } } }),
      { prefix: 'in/' },
      {
        [LIST]: async (invocation) => {
          calls.push(invocation);
          return { Contents: [{ Key: 'in/a.csv', Size: 1 }, { Key: 'in/b.csv', Size: 2 }] };
        },
        [WORK]: async ({ parameters }) => (parameters as { Key: string }).Key,
      },
    );
    expect([calls[0]?.parameters, result.output]).toEqual([{ Bucket: 'raw', Prefix: 'in/' }, ['in/a.csv', 'in/b.csv']]);
  });

  it('ItemReader getObject parses a CSV with a header row into string-valued items', async () => {
    const reader = { Resource: GET, Parameters: { Bucket: 'b', Key: 'k.csv' }, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } };
    const result = await run(distributed({ ItemReader: reader }), {}, {
      [GET]: async () => ({ Body: 'id,name\n1,"Smith, J"\n2,Lee\n' }),
      [WORK]: async ({ parameters }) => parameters,
    });
    expect(result.output).toEqual([{ id: '1', name: 'Smith, J' }, { id: '2', name: 'Lee' }]);
  });

  it('ItemBatcher groups items into {Items, BatchInput}', async () => {
    const state = { ItemsPath: '$.xs', ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'run.$': '$.run' } } };
    const result = await run(distributed(state), { run: 'r1', xs: [1, 2, 3] }, { [WORK]: async ({ parameters }) => parameters });
    expect(result.output).toEqual([{ Items: [1, 2], BatchInput: { run: 'r1' } }, { Items: [3], BatchInput: { run: 'r1' } }]);
  });

  it('writes MapRunStarted/MapRunSucceeded and keeps child histories apart', async () => {
    const result = await run(distributed({ ItemsPath: '$' }), [1, 2], { [WORK]: async ({ parameters }) => parameters });
    const types = result.history.map((event) => event.type);
    expect([types.includes('MapRunStarted'), types.includes('MapRunSucceeded'), types.includes('TaskScheduled'), result.mapRuns[0]?.executions.length]).toEqual([
      true, true, false, 2,
    ]);
  });

  it('a failure above ToleratedFailurePercentage fails with States.ExceedToleratedFailureThreshold', async () => {
    const failOdd = async ({ parameters }: TaskInvocation): Promise<unknown> => {
      if ((parameters as number) % 2 === 1) throw new TaskFailedError('Odd');
      return parameters;
    };
    const result = await run(distributed({ ItemsPath: '$', ToleratedFailurePercentage: 25 }), [1, 2, 3, 4], { [WORK]: failOdd });
    expect(result.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('failures within ToleratedFailureCount let the Map succeed', async () => {
    const failOne = async ({ parameters }: TaskInvocation): Promise<unknown> => {
      if (parameters === 2) throw new TaskFailedError('Two', 'no twos');
      return parameters;
    };
    const result = await run(distributed({ ItemsPath: '$', ToleratedFailureCount: 1 }), [1, 2, 3], { [WORK]: failOne });
    expect(result.output).toEqual([1, { Error: 'Two', Cause: 'no twos' }, 3]);
  });

  it('with both thresholds set, breaching the count alone fails the Map Run (either limit applies)', async () => {
    const failFirstTwo = async ({ parameters }: TaskInvocation): Promise<unknown> => {
      if ((parameters as number) <= 2) throw new TaskFailedError('Low');
      return parameters;
    };
    const items = Array.from({ length: 10 }, (_, index) => index + 1);
    // 2 of 10 failed: 20 % is within the 50 % allowed, 2 items are over the 1 allowed.
    const result = await run(distributed({ ItemsPath: '$', ToleratedFailureCount: 1, ToleratedFailurePercentage: 50 }), items, { [WORK]: failFirstTwo });
    expect(result.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('a failing ItemReader fails with States.ItemReaderFailed', async () => {
    const result = await run(distributed({ ItemReader: { Resource: LIST, Parameters: { Bucket: 'x' } } }), {}, {
      [LIST]: async () => { throw new TaskFailedError('S3.NoSuchBucket', 'x'); },
    });
    expect(result.error).toBe('States.ItemReaderFailed');
  });

  it('ResultWriter is rejected before the run with a DefinitionError naming state and field', async () => {
    const attempt = run(distributed({ ItemsPath: '$', ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } } }), []);
    await expect(attempt).rejects.toMatchObject({ name: 'DefinitionError', statePath: 'States.Only', field: 'ResultWriter' });
  });
});
