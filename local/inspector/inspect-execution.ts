/** Builds the inspector page for a history and the definition it ran. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { MapRunRecord } from '../asl/index.js';
import { outcomeOf } from '../replay/state-visits.js';
import { layoutDefinition, type Scope } from './graph-layout.js';
import { addMapRunOutcomes } from './map-run-outcomes.js';
import { renderInspectorHtml } from './render-html.js';
import { stateOutcomes } from './state-outcomes.js';

export interface InspectInput {
  definition: unknown;
  events: readonly HistoryEvent[];
  executionName?: string;
  /** Distributed Map runs with their child histories, to colour the states inside those Maps. */
  mapRuns?: readonly MapRunRecord[];
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
    },
    layout: layoutDefinition(definition),
    states: addMapRunOutcomes(definition, stateOutcomes(input.events), input.mapRuns),
  });
}
