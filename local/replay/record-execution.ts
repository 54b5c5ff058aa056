/**
 * Records an AWS execution: DescribeExecution, every page of GetExecutionHistory with execution
 * data, and the definition from DescribeStateMachineForExecution (the version that ran) when allowed.
 */
import {
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { MapRunRecord } from '../asl/index.js';
import { recordMapRuns } from './record-map-runs.js';

export interface ExecutionRecording {
  execution: Record<string, unknown>;
  definition?: unknown;
  events: HistoryEvent[];
  /** Distributed Map runs with their child executions (their histories are not in `events`). */
  mapRuns?: MapRunRecord[];
}

function explain(error: unknown, action: string, arn: string): Error {
  const name = (error as { name?: string }).name ?? 'Error';
  const message = (error as Error).message;
  if (name === 'AccessDeniedException') {
    return new Error(`AWS denied ${action} on ${arn}: ${message}. Grant states:${action} on this execution (or its state machine) to the credentials in use.`);
  }
  if (name === 'ExecutionDoesNotExist') return new Error(`No execution ${arn} in this account and region: ${message}`);
  return new Error(`${action} on ${arn} failed with ${name}: ${message}`);
}

export async function recordExecution(client: SFNClient, executionArn: string): Promise<ExecutionRecording> {
  let execution: Record<string, unknown>;
  try {
    const { $metadata: _metadata, ...described } = await client.send(new DescribeExecutionCommand({ executionArn }));
    execution = described as Record<string, unknown>;
  } catch (error) {
    throw explain(error, 'DescribeExecution', executionArn);
  }
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    try {
      const page = await client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } catch (error) {
      throw explain(error, 'GetExecutionHistory', executionArn);
    }
  } while (nextToken);
  let definition: unknown;
  try {
    const machine = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    definition = machine.definition === undefined ? undefined : (JSON.parse(machine.definition) as unknown);
  } catch (error) {
    // The definition is optional: replay and inspect can use the synthesized app or --definition.
    if ((error as { name?: string }).name !== 'AccessDeniedException') throw explain(error, 'DescribeStateMachineForExecution', executionArn);
  }
  let mapRuns: MapRunRecord[] | undefined;
  if (events.some((event) => event.type === 'MapRunStarted')) {
    try {
      mapRuns = await recordMapRuns(client, executionArn);
    } catch (error) {
      throw explain(error, 'ListMapRuns', executionArn);
    }
  }
  return { execution, ...(definition !== undefined ? { definition } : {}), events, ...(mapRuns ? { mapRuns } : {}) };
}
