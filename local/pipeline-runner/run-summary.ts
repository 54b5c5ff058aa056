/**
 * What `pricesense run` reports about an execution, read from its history alone (so it works
 * the same for a fresh run, a redriven one and a history recorded from AWS).
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { SILVER_REJECT_REASONS, type SilverRejectReason } from '../../workflow/gold-baskets-schema.js';
import { StateName } from '../../workflow/names.js';
import { GlueJobArgument } from '../../workflow/resource-names.js';
import type { ModelMetrics } from '../../workflow/payloads.js';
import { buildStateTimeline, stateDurations, type StateRecord } from '../execution-history/state-timeline.js';

export interface RunSummary {
  executionName: string;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'RUNNING';
  failedState: string | null;
  error: string | null;
  cause: string | null;
  input: { bucket: string; key: string } | null;
  metrics: Pick<ModelMetrics, 'accuracy' | 'macroF1' | 'precision' | 'recall' | 'f1' | 'confusionMatrix' | 'intervals95'> | null;
  gate: 'passed' | 'failed' | null;
  modelPackage: { group: string; version: number; approvalStatus: string; arn: string } | null;
  endpoint: { name: string; url: string } | null;
  eksDeployment: { cluster: string; namespace: string; name: string } | null;
  /**
   * Raw rows in and rejected in silver, per reason (a row breaking several rules counts under
   * each; `rejected` counts it once), from RawToSilver's counts; null before RawToSilver ran or
   * when its counts cannot be read.
   */
  rows: RowCounts | null;
  stateDurationsMs: Record<string, number>;
  historyPath: string;
}

export interface RowCounts {
  in: number;
  /** Rows rejected in silver (invalid values, lines of inconsistent baskets), each once. */
  rejected: number;
  /** rejected / in (0 for an empty file). */
  rejectedShare: number;
  rejectedByReason: Record<SilverRejectReason, number>;
  duplicatesRemoved: number;
  out: number;
}

/** RowCounts from the 06_silver_stats.sql counts (as in silver's _stats.json). */
export function rowCountsOf(counts: Partial<Record<string, number>>): RowCounts {
  const count = (name: string) => (typeof counts[name] === 'number' && Number.isFinite(counts[name]) ? counts[name] : 0);
  const rejected = count('rows_in') - count('rows_valid') + count('inconsistent_basket');
  return {
    in: count('rows_in'),
    rejected,
    rejectedShare: count('rows_in') > 0 ? rejected / count('rows_in') : 0,
    rejectedByReason: Object.fromEntries(SILVER_REJECT_REASONS.map((reason) => [reason, count(reason)])) as Record<SilverRejectReason, number>,
    duplicatesRemoved: count('duplicates_removed'),
    out: count('rows_out'),
  };
}

/** The `--silver_uri` RawToSilver was started with (the Glue job that has a `--raw_uri`). */
export function rawToSilverSilverUri(events: readonly HistoryEvent[]): string | undefined {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const parameters = events[index]?.taskScheduledEventDetails?.parameters;
    if (parameters === undefined || !parameters.includes(GlueJobArgument.RawUri)) continue;
    try {
      const args = (JSON.parse(parameters) as { Arguments?: Record<string, unknown> }).Arguments;
      const uri = args?.[GlueJobArgument.SilverUri];
      if (typeof uri === 'string' && args?.[GlueJobArgument.RawUri] !== undefined) return uri;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The Lambda integration wraps results in `{Payload}`; bare function ARNs do not. */
function unwrapPayload(result: unknown): unknown {
  if (result !== null && typeof result === 'object' && 'Payload' in result) return (result as { Payload: unknown }).Payload;
  return result;
}

function lastEntry(records: readonly StateRecord[], name: string): StateRecord | undefined {
  return records.filter((record) => record.name === name).at(-1);
}

/**
 * The workflow's catch-all records what failed in the `failure` variable ({state, error, cause});
 * its last assignment names the state even when the error arose after the task succeeded (e.g.
 * in an Assign expression), which no task-failure event shows.
 */
function assignedFailure(events: readonly HistoryEvent[]): { state: string; error?: string; cause?: string } | undefined {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const assigned = events[index]?.stateExitedEventDetails?.assignedVariables?.failure;
    if (assigned === undefined) continue;
    try {
      const failure = JSON.parse(assigned) as { state?: unknown; error?: unknown; cause?: unknown };
      if (typeof failure.state === 'string') {
        return {
          state: failure.state,
          ...(typeof failure.error === 'string' ? { error: failure.error } : {}),
          ...(typeof failure.cause === 'string' ? { cause: failure.cause } : {}),
        };
      }
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The state that failed: a Fail state other than the generic PipelineFailed, else the last caught or failed task. */
function findFailedState(records: readonly StateRecord[]): StateRecord | undefined {
  const fail = records.filter((record) => record.type === 'Fail').at(-1);
  if (fail && fail.name !== StateName.PipelineFailed) return fail;
  return records.filter((record) => record.type !== 'Fail' && (record.outcome === 'caught' || record.outcome === 'failed')).at(-1) ?? fail;
}

export interface SummaryFacts {
  executionName: string;
  status: RunSummary['status'];
  error?: string;
  cause?: string;
  input: { bucket: string; key: string } | null;
  historyPath: string;
  /** Looked up in the local registry by the caller (the history only holds the ARN). */
  describeModelPackage?: (arn: string) => { group: string; version: number; approvalStatus: string } | undefined;
  endpointUrl?: (endpointName: string) => string;
  /** The raw -> silver counts RawToSilver wrote for its `--silver_uri` (the history holds only the URI). */
  readSilverCounts?: (silverUri: string) => Partial<Record<string, number>> | undefined;
}

export function summarizeRun(events: readonly HistoryEvent[], facts: SummaryFacts): RunSummary {
  const records = buildStateTimeline(events);
  const entered = (name: string) => records.some((record) => record.name === name);

  const evaluation = unwrapPayload(lastEntry(records, StateName.EvaluateModel)?.taskResult) as { metrics?: ModelMetrics } | undefined;
  const metrics = evaluation?.metrics
    ? {
        accuracy: evaluation.metrics.accuracy,
        macroF1: evaluation.metrics.macroF1,
        precision: evaluation.metrics.precision,
        recall: evaluation.metrics.recall,
        f1: evaluation.metrics.f1,
        confusionMatrix: evaluation.metrics.confusionMatrix,
        ...(evaluation.metrics.intervals95 ? { intervals95: evaluation.metrics.intervals95 } : {}),
      }
    : null;

  let gate: RunSummary['gate'] = null;
  if (entered(StateName.ModelBelowThreshold)) gate = 'failed';
  else if (entered(StateName.RegisterModel)) gate = 'passed';

  const registered = lastEntry(records, StateName.RegisterModel)?.taskResult as { ModelPackageArn?: string } | undefined;
  let modelPackage: RunSummary['modelPackage'] = null;
  if (registered?.ModelPackageArn) {
    const arn = registered.ModelPackageArn;
    const described = facts.describeModelPackage?.(arn);
    const match = /model-package\/([^/]+)\/(\d+)$/.exec(arn);
    modelPackage = {
      arn,
      group: described?.group ?? match?.[1] ?? '',
      version: described?.version ?? Number(match?.[2] ?? 0),
      approvalStatus: described?.approvalStatus ?? 'Unknown',
    };
  }

  const endpointDeployed = facts.status === 'SUCCEEDED' && entered(StateName.CheckEndpointStatus);
  const endpointArgs = lastEntry(records, StateName.DescribeEndpoint)?.taskResult as { EndpointName?: string } | undefined;
  const endpoint =
    endpointDeployed && endpointArgs?.EndpointName
      ? { name: endpointArgs.EndpointName, url: facts.endpointUrl?.(endpointArgs.EndpointName) ?? '' }
      : null;

  const eksRead = lastEntry(records, StateName.ReadEksRollout)?.taskResult as
    | { ResponseBody?: { metadata?: { name?: string; namespace?: string } } }
    | undefined;
  const eksDeployment =
    facts.status === 'SUCCEEDED' && eksRead?.ResponseBody?.metadata?.name
      ? { cluster: 'local', namespace: eksRead.ResponseBody.metadata.namespace ?? 'default', name: eksRead.ResponseBody.metadata.name }
      : null;

  const silverUri = entered(StateName.SilverToGold) ? rawToSilverSilverUri(events) : undefined;
  const silverCounts = silverUri === undefined ? undefined : facts.readSilverCounts?.(silverUri);
  const rows = silverCounts === undefined ? null : rowCountsOf(silverCounts);

  const failed = facts.status === 'SUCCEEDED' ? undefined : findFailedState(records);
  const caught = facts.status === 'SUCCEEDED' || failed?.name !== StateName.PipelineFailed && failed?.type === 'Fail' ? undefined : assignedFailure(events);
  return {
    executionName: facts.executionName,
    status: facts.status,
    failedState: caught?.state ?? failed?.name ?? null,
    error: facts.error ?? caught?.error ?? failed?.error ?? null,
    cause: facts.cause ?? caught?.cause ?? failed?.cause ?? null,
    input: facts.input,
    metrics,
    gate,
    modelPackage,
    endpoint,
    eksDeployment,
    rows,
    stateDurationsMs: stateDurations(records),
    historyPath: facts.historyPath,
  };
}
