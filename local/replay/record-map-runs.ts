/**
 * A Distributed Map runs its iterations as child executions whose histories are not in the
 * parent's: replay and the inspector need them. This fetches them from AWS — ListMapRuns for the
 * execution, ListExecutions per Map Run, then each child's DescribeExecution and history — in the
 * MapRunRecord shape local runs store in map-runs.json.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  type ExecutionListItem,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { ChildExecutionRecord, MapRunRecord } from '../asl/index.js';
import { parseHistoryJson } from '../execution-history/history-json.js';

/** `arn:aws:states:<region>:<account>:mapRun:<machine>/<map state label>:<id>` → the label. */
export function mapStateOfMapRunArn(mapRunArn: string): string {
  const resource = mapRunArn.split(':mapRun:')[1] ?? '';
  const path = resource.slice(0, resource.lastIndexOf(':'));
  return path.slice(path.indexOf('/') + 1);
}


async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page?.events ?? []));
    nextToken = page?.nextToken;
  } while (nextToken);
  return events;
}

/**
 * AWS does not report a child's item index. Children read from an S3 listing are ordered by the
 * first object key of their batch (the listing is in key order); others by start time.
 */
function itemOrderKey(input: unknown, child: ExecutionListItem): string {
  const items = (input as { Items?: Array<{ Key?: unknown }> } | undefined)?.Items;
  const key = items?.[0]?.Key;
  return typeof key === 'string' ? `0${key}` : `1${child.startDate?.toISOString() ?? ''}`;
}

async function childRecords(client: SFNClient, mapRunArn: string): Promise<ChildExecutionRecord[]> {
  const listed: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    listed.push(...(page?.executions ?? []));
    nextToken = page?.nextToken;
  } while (nextToken);
  const children = await Promise.all(
    listed.map(async (child) => {
      const described = await client.send(new DescribeExecutionCommand({ executionArn: child.executionArn }));
      const input = parseHistoryJson(described?.input);
      return { child, described, input };
    }),
  );
  children.sort((a, b) => itemOrderKey(a.input, a.child).localeCompare(itemOrderKey(b.input, b.child)));
  const records: ChildExecutionRecord[] = [];
  for (const [index, { child, described, input }] of children.entries()) {
    records.push({
      name: child.name ?? '',
      index,
      status: described?.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
      input,
      ...(described?.output !== undefined ? { output: parseHistoryJson(described.output) } : {}),
      ...(described?.error !== undefined ? { error: described.error } : {}),
      ...(described?.cause !== undefined ? { cause: described.cause } : {}),
      history: (await history(client, child.executionArn!)) as unknown as ChildExecutionRecord['history'],
    });
  }
  return records;
}

/** Every Map Run of the execution with its child executions. */
export async function recordMapRuns(client: SFNClient, executionArn: string): Promise<MapRunRecord[]> {
  const runs: MapRunRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListMapRunsCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    for (const run of page?.mapRuns ?? []) {
      const executions = await childRecords(client, run.mapRunArn!);
      runs.push({
        mapRunArn: run.mapRunArn!,
        stateName: mapStateOfMapRunArn(run.mapRunArn!),
        status: executions.every((child) => child.status === 'SUCCEEDED') ? 'SUCCEEDED' : 'FAILED',
        executions,
      });
    }
    nextToken = page?.nextToken;
  } while (nextToken);
  return runs;
}
