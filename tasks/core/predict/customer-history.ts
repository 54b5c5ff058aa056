/**
 * A customer's history features as the online feature store holds them (workflow/features.ts),
 * and where /predict reads them from. On AWS and locally the source is Feature Store GetRecord
 * through the SDK; a TTL cache in front keeps the hot path off the store for repeat customers.
 */
import { GetRecordCommand, type SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { CUSTOMER_FEATURES, type CustomerFeatureName } from '../../../workflow/features.js';

export type CustomerHistory = Readonly<Record<CustomerFeatureName, number>>;

export interface CustomerHistorySource {
  /** The customer's latest history record, or undefined when the store has none. */
  get(customerId: string): Promise<CustomerHistory | undefined>;
}

/** The store holds a record /predict cannot read (a missing or non-numeric feature). */
export class CustomerRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CustomerRecordError';
  }
}

const FEATURE_NAMES = CUSTOMER_FEATURES.map((feature) => feature.name);

/** Parses GetRecord's `Record` ({FeatureName, ValueAsString}[]) into numbers. */
export function customerHistoryFromRecord(customerId: string, record: ReadonlyArray<{ FeatureName?: string; ValueAsString?: string }>): CustomerHistory {
  const out = {} as Record<CustomerFeatureName, number>;
  for (const name of FEATURE_NAMES) {
    const raw = record.find((value) => value.FeatureName === name)?.ValueAsString;
    const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value)) {
      throw new CustomerRecordError(`feature store record of customer ${JSON.stringify(customerId)}: ${name} is ${raw === undefined ? 'missing' : JSON.stringify(raw)}, expected a number`);
    }
    out[name] = value;
  }
  return out;
}

/**
 * GetRecord failed (no such feature group, access denied, throttled ...). The AWS error's name is
 * kept, so callers branch on it as on the SDK's; the message names the feature group.
 */
export class CustomerHistoryReadError extends Error {
  constructor(featureGroupName: string, cause: unknown) {
    super(`GetRecord on feature group ${featureGroupName} failed: ${(cause as Error).message}`, { cause });
    this.name = (cause as Error).name ?? 'Error';
  }
}

/** GetRecord on the customer feature group. */
export class FeatureStoreCustomerHistory implements CustomerHistorySource {
  constructor(
    private readonly client: SageMakerFeatureStoreRuntimeClient,
    private readonly featureGroupName: string,
  ) {}

  async get(customerId: string): Promise<CustomerHistory | undefined> {
    let output;
    try {
      output = await this.client.send(
        new GetRecordCommand({ FeatureGroupName: this.featureGroupName, RecordIdentifierValueAsString: customerId, FeatureNames: FEATURE_NAMES }),
      );
    } catch (error) {
      throw new CustomerHistoryReadError(this.featureGroupName, error);
    }
    if (!output.Record || output.Record.length === 0) return undefined;
    return customerHistoryFromRecord(customerId, output.Record);
  }
}

export interface CachedHistoryOptions {
  /** How long a read (found or not) is reused. @default 60000 */
  ttlMs?: number;
  /** Entries kept; the oldest insertions are evicted first. @default 100000 */
  maxEntries?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Remembers reads for `ttlMs`, including "no record", and shares one in-flight read among
 * concurrent requests for the same customer. A failed read is not cached.
 */
export class CachedCustomerHistory implements CustomerHistorySource {
  private readonly entries = new Map<string, { expires: number; value: Promise<CustomerHistory | undefined> }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly source: CustomerHistorySource,
    options: CachedHistoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  get(customerId: string): Promise<CustomerHistory | undefined> {
    const now = this.now();
    const hit = this.entries.get(customerId);
    if (hit && hit.expires > now) return hit.value;
    if (hit) this.entries.delete(customerId);
    const value = this.source.get(customerId);
    value.catch(() => this.entries.delete(customerId));
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(customerId, { expires: now + this.ttlMs, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
