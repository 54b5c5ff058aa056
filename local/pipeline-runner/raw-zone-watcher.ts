/**
 * `pricesense watch`: the local S3 -> EventBridge -> trigger path. Each new object under `raw/` in
 * the local raw bucket becomes an EventBridge "Object Created" event handed to the same
 * start-execution Lambda that runs on AWS, whose StartExecution goes to the local Step Functions
 * API. Its deterministic execution name (bucket, key, ETag) is what makes a second sighting of
 * the same object — in this process or after a restart — start nothing.
 */
import { randomUUID } from 'node:crypto';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionResult } from '../asl/index.js';
import { RAW_PREFIX } from '../../workflow/s3-layout.js';
import { TaskFunction } from '../../workflow/resource-names.js';
import { TaskEnv } from '../../workflow/task-environment.js';
import type { LocalPipeline } from './local-pipeline.js';

export interface TriggerOutcome {
  key: string;
  status: 'started' | 'duplicate' | 'ignored' | 'failed';
  executionName?: string;
  reason?: string;
}

export interface WatcherOptions {
  onExecutionEvent?: (executionName: string, event: HistoryEvent) => void;
  onExecutionDone?: (result: ExecutionResult) => void;
}

function triggerFunctionName(pipeline: LocalPipeline): string {
  for (const resource of pipeline.names.values()) {
    const variables = (resource.properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables;
    if (resource.type === 'AWS::Lambda::Function' && variables?.[TaskEnv.ServiceName] === TaskFunction.StartExecution) return resource.name;
  }
  throw new Error(`The synthesized template has no Lambda function with ${TaskEnv.ServiceName}=${TaskFunction.StartExecution}`);
}

/** The event S3 sends to EventBridge for a new object (the fields the trigger reads, and the rest). */
export function objectCreatedEvent(bucket: string, key: string, size: number, etag: string, now = new Date()) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created' as const,
    source: 'aws.s3' as const,
    account: '000000000000',
    time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size, etag: etag.replace(/"/g, ''), sequencer: now.getTime().toString(16).toUpperCase().padStart(18, '0') },
      'request-id': randomUUID(),
      requester: '000000000000',
      reason: 'PutObject',
    },
  };
}

export class RawZoneWatcher {
  private readonly seen = new Set<string>();
  private readonly functionName: string;
  private readonly results: ExecutionResult[] = [];

  constructor(
    private readonly pipeline: LocalPipeline,
    options: WatcherOptions = {},
  ) {
    this.functionName = triggerFunctionName(pipeline);
    pipeline.background.subscribe({
      onEvent: (name, event) => options.onExecutionEvent?.(name, event),
      onDone: (result) => {
        this.results.push(result);
        options.onExecutionDone?.(result);
      },
    });
  }

  private async listRawZone(): Promise<Map<string, { Key: string; Size: number; ETag: string; LastModified?: unknown }>> {
    const listed = (await this.pipeline.localAws.call('s3', 'ListObjectsV2', { Bucket: this.pipeline.rawBucket, Prefix: RAW_PREFIX })) as {
      Contents?: Array<{ Key: string; Size: number; ETag: string; LastModified?: unknown }>;
    };
    return new Map((listed.Contents ?? []).map((object) => [object.Key, object]));
  }

  /**
   * Looks at the raw zone and hands every object not seen yet to the trigger. An object must look
   * the same in two listings `settleMs` apart: on a file system (unlike S3) a file being copied in
   * is visible while it grows, and must not start a run on half its rows.
   */
  async scanOnce(options: { settleMs?: number } = {}): Promise<TriggerOutcome[]> {
    const first = await this.listRawZone();
    await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 500));
    const second = await this.listRawZone();
    const outcomes: TriggerOutcome[] = [];
    const earlier = this.earlierExecutions();
    for (const object of second.values()) {
      const before = first.get(object.Key);
      const settled = before !== undefined && before.Size === object.Size && before.ETag === object.ETag && String(before.LastModified) === String(object.LastModified);
      const identity = `${object.Key}\u0000${object.ETag}`;
      if (!settled || this.seen.has(identity)) continue;
      const processed = earlier.get(`${this.pipeline.rawBucket}/${object.Key}`);
      if (processed && processed.startDate >= lastModifiedOf(object)) {
        // `pricesense run --input` (or an earlier watch) already ran this very object.
        this.seen.add(identity);
        outcomes.push({ key: object.Key, status: 'duplicate', executionName: processed.name, reason: `execution ${processed.name} already ran on this object` });
        continue;
      }
      let outcome: TriggerOutcome;
      try {
        outcome = await this.trigger(this.pipeline.rawBucket, object.Key, object.Size, object.ETag);
      } catch (error) {
        outcome = { key: object.Key, status: 'failed', reason: (error as Error).message };
      }
      // A failed trigger is tried again at the next scan; anything else is done with.
      if (outcome.status !== 'failed') this.seen.add(identity);
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /**
   * `bucket/key` → the latest execution that ran on it (console input or S3 event), whatever
   * started it: the trigger's own names only cover what the trigger started.
   */
  private earlierExecutions(): Map<string, { name: string; startDate: number }> {
    const found = new Map<string, { name: string; startDate: number }>();
    for (const execution of this.pipeline.executions.list()) {
      let input: unknown;
      try {
        input = JSON.parse(execution.input);
      } catch {
        continue;
      }
      const location = objectOf(input);
      if (!location) continue;
      const id = `${location.bucket}/${location.key}`;
      const startDate = Date.parse(execution.startDate);
      if ((found.get(id)?.startDate ?? -Infinity) < startDate) found.set(id, { name: execution.name, startDate });
    }
    return found;
  }

  private async trigger(bucket: string, key: string, size: number, etag: string): Promise<TriggerOutcome> {
    const event = objectCreatedEvent(bucket, key, size, etag);
    const response = (await this.pipeline.localAws.call('lambda', 'Invoke', { FunctionName: this.functionName, Payload: JSON.stringify(event) })) as {
      Payload?: Uint8Array;
      FunctionError?: string;
    };
    const payload = JSON.parse(new TextDecoder().decode(response.Payload ?? new Uint8Array())) as {
      status?: TriggerOutcome['status'];
      executionName?: string;
      reason?: string;
      errorMessage?: string;
    };
    if (response.FunctionError) return { key, status: 'failed', reason: payload.errorMessage ?? 'the trigger function failed' };
    return {
      key,
      status: payload.status ?? 'failed',
      ...(payload.executionName ? { executionName: payload.executionName } : {}),
      ...(payload.reason ? { reason: payload.reason } : {}),
    };
  }

  /** Resolves when every execution started so far has ended, with those this watcher saw end. */
  async idle(): Promise<ExecutionResult[]> {
    await this.pipeline.background.idle();
    return [...this.results];
  }
}

function lastModifiedOf(object: { LastModified?: unknown }): number {
  const value = object.LastModified;
  const time = value instanceof Date ? value.getTime() : Date.parse(String(value));
  return Number.isNaN(time) ? Infinity : time;
}

/** The object an execution input names: `{bucket, key}` or an S3 "Object Created" event. */
function objectOf(input: unknown): { bucket: string; key: string } | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const record = input as { bucket?: unknown; key?: unknown; detail?: { bucket?: { name?: unknown }; object?: { key?: unknown } } };
  if (typeof record.bucket === 'string' && typeof record.key === 'string') return { bucket: record.bucket, key: record.key };
  const bucket = record.detail?.bucket?.name;
  const key = record.detail?.object?.key;
  return typeof bucket === 'string' && typeof key === 'string' ? { bucket, key } : undefined;
}
