/** Builds the inspector page for a history and the definition it ran. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { MapRunRecord } from '../asl/index.js';
import { outcomeOf } from '../execution-history/index.js';
import type { Scope } from './graph-types.js';
import { layoutDefinitionWithElk } from './elk-layout.js';
import { addMapRunOutcomes } from './map-run-outcomes.js';
import { renderInspectorHtml, type EventRow } from './render-html.js';
import { EventLineage } from '../execution-history/event-lineage.js';
import { withoutLocalPaths } from './readable-cause.js';
import { stateOutcomes } from './state-outcomes.js';

export interface InspectInput {
  definition: unknown;
  events: readonly HistoryEvent[];
  executionName?: string;
  /** Distributed Map runs with their child histories, to colour the states inside those Maps. */
  mapRuns?: readonly MapRunRecord[];
  /** DescribeExecution facts of the recording (input, output). */
  execution?: Record<string, unknown>;
}

const CLOSING = /^Execution(Failed|Aborted|TimedOut)$/;

function parsedJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The Events tab: id, type, the step it belongs to, time, and its details as JSON (local paths cut). */
function eventRows(events: readonly HistoryEvent[]): EventRow[] {
  const lineage = new EventLineage(events as never);
  return events.map((event) => {
    const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1];
    const step = lineage.enclosingStateEntry(event as never)?.stateEnteredEventDetails?.name;
    return {
      id: Number(event.id),
      type: String(event.type),
      ...(step !== undefined && !String(event.type).startsWith('Execution') ? { step } : {}),
      timestamp: new Date(event.timestamp as unknown as string).toISOString(),
      details: details === undefined ? '' : withoutLocalPaths(JSON.stringify(details)),
    };
  });
}

/** Where the execution failed: the state whose events lead to the closing event. */
function failedStateOf(events: readonly HistoryEvent[]): string | undefined {
  const closing = [...events].reverse().find((event) => CLOSING.test(String(event.type)));
  if (!closing) return undefined;
  return new EventLineage(events as never).enclosingStateEntry(closing as never)?.stateEnteredEventDetails?.name;
}

export function inspectorHtml(input: InspectInput): string {
  const definition = (typeof input.definition === 'string' ? JSON.parse(input.definition) : input.definition) as Scope;
  if (!definition || typeof definition !== 'object' || typeof definition.States !== 'object') {
    throw new Error('The definition to draw must be an ASL object with StartAt and States');
  }
  const outcome = outcomeOf(input.events as never);
  const first = input.events[0];
  const last = input.events[input.events.length - 1];
  const toIso = (value: unknown): string | undefined => (value === undefined ? undefined : new Date(value as string).toISOString());
  return renderInspectorHtml({
    title: `pricesense inspector${input.executionName ? ` — ${input.executionName}` : ''}`,
    execution: {
      ...(input.executionName ? { name: input.executionName } : {}),
      status: outcome.status,
      ...(first ? { startDate: toIso(first.timestamp) } : {}),
      ...(last && outcome.status !== 'RUNNING' ? { stopDate: toIso(last.timestamp) } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
      input: parsedJson(input.execution?.input ?? input.events.find((event) => event.type === 'ExecutionStarted')?.executionStartedEventDetails?.input),
      ...(outcome.output !== undefined ? { output: outcome.output } : {}),
    },
    ...(outcome.status === 'SUCCEEDED' ? {} : failedStateOf(input.events) ? { failedState: failedStateOf(input.events)! } : {}),
    events: eventRows(input.events),
    redrives: {
      count: input.events.filter((event) => event.type === 'ExecutionRedriven').length,
      dates: input.events.filter((event) => event.type === 'ExecutionRedriven').map((event) => new Date(event.timestamp as unknown as string).toISOString()),
    },
    mapRuns: (input.mapRuns ?? []).map((run) => ({
      state: run.stateName,
      mapRunArn: run.mapRunArn,
      status: run.status,
      children: run.executions.length,
      failedChildren: run.executions.filter((child) => child.status === 'FAILED').length,
    })),
    layout: layoutDefinitionWithElk(definition),
    states: addMapRunOutcomes(definition, stateOutcomes(input.events), input.mapRuns),
  });
}
