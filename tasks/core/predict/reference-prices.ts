/**
 * The reference prices /predict compares each line with. They belong to a model, not to the
 * customer base: the gold run a model was trained on wrote them (serving/reference_prices.json,
 * from glue-scripts/sql/silver_to_gold/02_reference_prices.sql), and the model package names that
 * run (CustomerMetadataProperties.runId). So the table travels with the registered model: a
 * rollback to an older version brings its own references back, and a run whose model failed the
 * gate changes nothing that is served (a feature group would be overwritten by IngestFeatures
 * before the gate decides). The table is small (one number per product and per group) and is
 * read once per served run, then looked up in memory for every line.
 */
import { goldPaths } from '../../../workflow/s3-layout.js';
import { REFERENCE_PRICES_FILE, type ReferencePrices } from '../../../workflow/gold-features.js';

export interface ReferencePriceSource {
  /** The references of the model being served. */
  get(): Promise<ReferencePrices>;
}

/** The references cannot be read: /predict answers 503, as without a model. */
export class ReferencePricesUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ReferencePricesUnavailableError';
  }
}

/** Key of a run's reference table in the gold bucket. */
export function referencePricesKey(runId: string): string {
  return `${goldPaths(runId).serving}${REFERENCE_PRICES_FILE}`;
}

function priceMap(value: unknown, where: string): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where} must be an object of code -> price`);
  const out: Record<string, number> = {};
  for (const [code, price] of Object.entries(value)) {
    if (typeof price !== 'number' || !(price > 0) || !Number.isFinite(price)) throw new Error(`${where}.${code} is ${JSON.stringify(price)}: expected a positive price`);
    out[code] = price;
  }
  return out;
}

/** Parses and checks serving/reference_prices.json. */
export function parseReferencePrices(text: string, source: string): ReferencePrices {
  try {
    const parsed = JSON.parse(text) as { product?: unknown; group?: unknown };
    return { product: priceMap(parsed.product, 'product'), group: priceMap(parsed.group, 'group') };
  } catch (error) {
    throw new ReferencePricesUnavailableError(`reference prices ${source} are unusable: ${(error as Error).message}`, error);
  }
}

export class StaticReferencePrices implements ReferencePriceSource {
  constructor(private readonly prices: ReferencePrices) {}
  get(): Promise<ReferencePrices> {
    return Promise.resolve(this.prices);
  }
}

export interface ServedRunReferencePricesOptions {
  /** Run id of the model being served. */
  servedRunId: () => Promise<string>;
  /** Text of serving/reference_prices.json of that run. */
  readRunFile: (runId: string) => Promise<string>;
  /** How long the served run id is trusted before it is asked again. @default 60000 */
  ttlMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * The references of the served model's run: the run id is re-checked every `ttlMs`, the table is
 * read again only when the run changes. A failed read is not cached.
 */
export class ServedRunReferencePrices implements ReferencePriceSource {
  private checked: { expires: number; runId: Promise<string> } | undefined;
  private loaded: { runId: string; prices: Promise<ReferencePrices> } | undefined;

  constructor(private readonly options: ServedRunReferencePricesOptions) {}

  async get(): Promise<ReferencePrices> {
    const now = (this.options.now ?? Date.now)();
    if (!this.checked || this.checked.expires <= now) {
      const runId = this.options.servedRunId();
      this.checked = { expires: now + (this.options.ttlMs ?? 60_000), runId };
      runId.catch(() => (this.checked = undefined));
    }
    let runId: string;
    try {
      runId = await this.checked.runId;
    } catch (error) {
      throw new ReferencePricesUnavailableError(`the served model's run is unknown: ${(error as Error).message}`, error);
    }
    if (this.loaded?.runId !== runId) {
      const prices = this.options
        .readRunFile(runId)
        .then((text) => parseReferencePrices(text, `of run ${runId}`))
        .catch((error: unknown) => {
          if (this.loaded?.runId === runId) this.loaded = undefined;
          throw error instanceof ReferencePricesUnavailableError ? error : new ReferencePricesUnavailableError(`reference prices of run ${runId} were not read: ${(error as Error).message}`, error);
        });
      this.loaded = { runId, prices };
    }
    return this.loaded.prices;
  }
}
