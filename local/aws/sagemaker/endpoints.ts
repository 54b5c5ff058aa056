/**
 * CreateEndpoint / UpdateEndpoint / DescribeEndpoint / ListEndpoints / DeleteEndpoint.
 *
 * Going InService means the config's model archive exists, unpacks, loads with the TypeScript
 * scorer and answers a smoke prediction. A create that fails ends Failed; an update that fails
 * leaves the endpoint InService on its previous config with FailureReason set — SageMaker's
 * blue/green auto-rollback, locally. The endpoint record names the live model (archive, package
 * ARN and version) for the local serving side: see readEndpointRecord.
 *
 * DeleteEndpoint is asynchronous as on AWS: the endpoint is Deleting, then Describe answers
 * "Could not find endpoint". On AWS a deployment keeps going when the client that started it
 * dies, so an endpoint Creating or Updating whose local process was killed is resumed by the next
 * process that reads it (it redeploys the same config), never left Creating nor turned Failed by
 * the kill; a deletion whose process died completes on the next read.
 */
import { createHash } from 'node:crypto';
import { unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { abortBackgroundWork, ownerIsGone, startBackgroundWork } from './background.js';
import { createContext, nowIso, sageMakerArn, toDate, type SageMakerContext, type SageMakerEmulatorOptions } from './context.js';
import { endpointConfigNotFound, endpointConfigStore, type EndpointConfigRecord } from './endpoint-configs.js';
import { loadModelFromUri } from './model-cache.js';
import { modelStore, type ModelRecord } from './models.js';
import { paginate } from './pagination.js';
import { RecordStore } from './record-store.js';
import { validateSharedFields, oneOf, optionalBoolean, optionalNumber, optionalObject, optionalString, requireName, requireString, validationError } from './validation.js';
import { isXgboost17Image } from './xgboost-image.js';

export const EndpointStatus = { Creating: 'Creating', Updating: 'Updating', InService: 'InService', Failed: 'Failed', Deleting: 'Deleting' } as const;
export type EndpointStatus = (typeof EndpointStatus)[keyof typeof EndpointStatus];

/** The model an endpoint serves, resolved for the local serving side. */
export interface LiveModel {
  VariantName: string;
  ModelName: string;
  Image: string;
  ModelDataUrl: string;
  /** Local path of the model.tar.gz in the S3 zone. */
  ArchivePath: string;
  /** Directory holding the unpacked `xgboost-model`. */
  ModelDir: string;
  ModelPackageArn?: string;
  ModelPackageVersion?: number;
  /** What serving reports as X-Model-Version: `<group>/<version>` when registered, else the model name. */
  ModelVersion: string;
  DeployedAt: string;
}

export interface EndpointRecord {
  EndpointName: string;
  EndpointArn: string;
  EndpointStatus: EndpointStatus;
  /** The config that is live (for a Creating endpoint: the one being created). */
  EndpointConfigName: string;
  /** Set while an update deploys a new config. */
  PendingEndpointConfigName?: string;
  PendingSince?: string;
  FailureReason?: string;
  CreationTime: string;
  LastModifiedTime: string;
  LastDeploymentConfig?: Record<string, unknown>;
  /** Variants of the live config as deployed (with the image that was resolved). */
  ProductionVariants: Array<{ VariantName: string; Image: string; ResolvedAt: string; Weight: number; InstanceCount: number }>;
  Live?: LiveModel;
  OwnerPid: number;
  Tags?: unknown[];
}

const ACTIONS = ['CreateEndpoint', 'UpdateEndpoint', 'DescribeEndpoint', 'ListEndpoints', 'DeleteEndpoint'] as const;

export function endpointStore(stateDir: string): RecordStore<EndpointRecord> {
  return new RecordStore(stateDir, 'endpoints');
}

/** For `pricesense serve` and the runtime: the endpoint as last recorded, or undefined. */
export function readEndpointRecord(stateDir: string, endpointName: string): EndpointRecord | undefined {
  return endpointStore(stateDir).getSync(endpointName);
}

export class EndpointsEmulator implements AwsServiceEmulator {
  readonly service = 'sagemaker';
  readonly actions: readonly string[] = ACTIONS;
  private readonly context: SageMakerContext;
  private readonly store: RecordStore<EndpointRecord>;
  private readonly configs: RecordStore<EndpointConfigRecord>;
  private readonly models: RecordStore<ModelRecord>;
  /**
   * Provisioning time a local deployment takes at least, in ms (SageMaker takes minutes; locally
   * it takes milliseconds). Tests that must catch an endpoint while it is Creating set
   * PRICESENSE_ENDPOINT_PROVISION_MS.
   */
  private readonly provisionMs: number;

  constructor(options: SageMakerEmulatorOptions) {
    this.context = createContext(options);
    this.provisionMs = Math.max(0, Number(process.env['PRICESENSE_ENDPOINT_PROVISION_MS'] ?? 0) || 0);
    this.store = endpointStore(options.stateDir);
    this.configs = endpointConfigStore(options.stateDir);
    this.models = modelStore(options.stateDir);
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action.startsWith('Create')) validateSharedFields(input);
    switch (action) {
      case 'CreateEndpoint':
        return this.create(input);
      case 'UpdateEndpoint':
        return this.update(input);
      case 'DescribeEndpoint':
        return describeEndpoint(await this.load(requireString(input, 'EndpointName')));
      case 'ListEndpoints':
        return this.list(input);
      case 'DeleteEndpoint':
        return this.delete(requireString(input, 'EndpointName'));
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  private notFound(name: string): Error {
    return validationError(`Could not find endpoint "${sageMakerArn(this.context, 'endpoint', name)}".`);
  }

  private async create(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = requireName(input, 'EndpointName');
    const configName = requireString(input, 'EndpointConfigName');
    const deployment = optionalObject(input, 'DeploymentConfig');
    if ((await this.configs.get(configName)) === undefined) throw endpointConfigNotFound(this.context, configName);
    const now = nowIso(this.context);
    const arn = sageMakerArn(this.context, 'endpoint', name);
    const record: EndpointRecord = {
      EndpointName: name,
      EndpointArn: arn,
      EndpointStatus: EndpointStatus.Creating,
      EndpointConfigName: configName,
      CreationTime: now,
      LastModifiedTime: now,
      ...(deployment !== undefined ? { LastDeploymentConfig: deployment } : {}),
      ProductionVariants: [],
      OwnerPid: process.pid,
      ...(Array.isArray(input.Tags) ? { Tags: input.Tags } : {}),
    };
    if (!(await this.store.create(name, record))) throw validationError(`Cannot create already existing endpoint "${arn}".`);
    startBackgroundWork(this.workKey(name), () => this.deploy(name, configName, 'create'));
    return { EndpointArn: arn };
  }

  private async update(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = requireString(input, 'EndpointName');
    const configName = requireString(input, 'EndpointConfigName');
    const deployment = optionalObject(input, 'DeploymentConfig');
    optionalBoolean(input, 'RetainAllVariantProperties');
    const retainDeployment = optionalBoolean(input, 'RetainDeploymentConfig') ?? false;
    const existing = await this.load(name);
    if ((await this.configs.get(configName)) === undefined) throw endpointConfigNotFound(this.context, configName);
    let accepted = false;
    const updated = await this.store.update(name, (current) => {
      if (current.EndpointStatus !== EndpointStatus.InService) return undefined;
      accepted = true;
      const now = nowIso(this.context);
      const { FailureReason: _previousFailure, ...rest } = current;
      return {
        ...rest,
        EndpointStatus: EndpointStatus.Updating,
        PendingEndpointConfigName: configName,
        PendingSince: now,
        LastModifiedTime: now,
        ...(deployment !== undefined ? { LastDeploymentConfig: deployment } : retainDeployment ? {} : { LastDeploymentConfig: undefined }),
        OwnerPid: process.pid,
      };
    });
    if (!accepted || updated === undefined) {
      const status = updated?.EndpointStatus ?? existing.EndpointStatus;
      throw validationError(
        status === EndpointStatus.Failed
          ? `Cannot update endpoint "${existing.EndpointArn}" because it is Failed; delete it and create it again`
          : `Cannot update in-progress endpoint "${existing.EndpointArn}" (status ${status}); wait until it is InService`,
      );
    }
    startBackgroundWork(this.workKey(name), () => this.deploy(name, configName, 'update'));
    return { EndpointArn: existing.EndpointArn };
  }

  private async delete(name: string): Promise<Record<string, unknown>> {
    const existing = await this.load(name);
    let accepted = false;
    await this.store.update(name, (current) => {
      if (current.EndpointStatus === EndpointStatus.Deleting) return undefined;
      accepted = true;
      return { ...current, EndpointStatus: EndpointStatus.Deleting, LastModifiedTime: nowIso(this.context), OwnerPid: process.pid };
    });
    if (!accepted) throw validationError(`Cannot delete endpoint "${existing.EndpointArn}" because it is already being deleted`);
    // A deployment of this endpoint still running here sees Deleting at its finish and records nothing.
    abortBackgroundWork(this.workKey(name));
    startBackgroundWork(this.workKey(name), async () => {
      await this.store.delete(name);
    });
    return {};
  }

  private async load(name: string): Promise<EndpointRecord> {
    const record = await this.store.get(name);
    if (record === undefined) throw this.notFound(name);
    if (record.EndpointStatus === EndpointStatus.Deleting && ownerIsGone(record.OwnerPid, this.workKey(name))) {
      await this.store.delete(name);
      throw this.notFound(name);
    }
    const busy = record.EndpointStatus === EndpointStatus.Creating || record.EndpointStatus === EndpointStatus.Updating;
    if (busy && ownerIsGone(record.OwnerPid, this.workKey(name))) {
      if (record.OwnerPid !== process.pid) return (await this.resume(name)) ?? record;
      // This process owns it but its work is gone (it crashed past its own error handling).
      const reason = `The local deployment of this endpoint stopped before it finished`;
      return (await this.finish(name, record.EndpointStatus === EndpointStatus.Creating ? 'create' : 'update', { ok: false, reason })) ?? record;
    }
    return record;
  }

  /**
   * Takes over a deployment whose process died and runs it again here, as SageMaker would have
   * carried it on; only one reader wins the takeover (the update runs under the record's lock).
   */
  private async resume(name: string): Promise<EndpointRecord | undefined> {
    let resumed: { configName: string; kind: 'create' | 'update' } | undefined;
    const updated = await this.store.update(name, (current) => {
      const busy = current.EndpointStatus === EndpointStatus.Creating || current.EndpointStatus === EndpointStatus.Updating;
      if (!busy || current.OwnerPid === process.pid || !ownerIsGone(current.OwnerPid, this.workKey(name))) return undefined;
      const kind = current.EndpointStatus === EndpointStatus.Creating ? 'create' : 'update';
      resumed = { kind, configName: kind === 'create' ? current.EndpointConfigName : (current.PendingEndpointConfigName ?? current.EndpointConfigName) };
      return { ...current, OwnerPid: process.pid };
    });
    if (resumed !== undefined) {
      const { configName, kind } = resumed;
      startBackgroundWork(this.workKey(name), () => this.deploy(name, configName, kind));
    }
    return updated;
  }

  private async list(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const nameContains = optionalString(input, 'NameContains')?.toLowerCase();
    const statusEquals = optionalString(input, 'StatusEquals');
    const sortBy = oneOf(input.SortBy ?? 'CreationTime', ['Name', 'CreationTime', 'Status'] as const, 'sortBy');
    const order = oneOf(input.SortOrder ?? 'Descending', ['Ascending', 'Descending'] as const, 'sortOrder');
    const records = await Promise.all((await this.store.list()).map((record) => this.load(record.EndpointName).catch(() => record)));
    const key = (record: EndpointRecord) => (sortBy === 'Name' ? record.EndpointName : sortBy === 'Status' ? record.EndpointStatus : record.CreationTime);
    const selected = records
      .filter((record) => nameContains === undefined || record.EndpointName.toLowerCase().includes(nameContains))
      .filter((record) => statusEquals === undefined || record.EndpointStatus === statusEquals)
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (order === 'Descending' ? -1 : 1));
    const { page, nextToken } = paginate(selected, optionalNumber(input, 'MaxResults'), optionalString(input, 'NextToken'));
    return {
      Endpoints: page.map((record) => ({
        EndpointName: record.EndpointName,
        EndpointArn: record.EndpointArn,
        CreationTime: toDate(record.CreationTime),
        LastModifiedTime: toDate(record.LastModifiedTime),
        EndpointStatus: record.EndpointStatus,
      })),
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
  }

  private workKey(name: string): string {
    return `endpoint:${this.context.stateDir}:${name.toLowerCase()}`;
  }

  /** Brings up the config's model and records the outcome. */
  private async deploy(name: string, configName: string, kind: 'create' | 'update'): Promise<void> {
    let outcome: DeployOutcome;
    try {
      if (this.provisionMs > 0) await new Promise((resolve) => setTimeout(resolve, this.provisionMs));
      outcome = { ok: true, ...(await this.prepare(configName)) };
    } catch (error) {
      outcome = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    await this.finish(name, kind, outcome);
  }

  private async prepare(configName: string): Promise<{ live: LiveModel; variants: EndpointRecord['ProductionVariants'] }> {
    const config = await this.configs.get(configName);
    if (config === undefined) throw new Error(`The endpoint configuration ${configName} was deleted before the deployment finished`);
    const variants: EndpointRecord['ProductionVariants'] = [];
    let live: LiveModel | undefined;
    const now = nowIso(this.context);
    // Every variant must come up; the heaviest one is the one the local runtime serves.
    const byWeight = [...config.ProductionVariants].sort((a, b) => Number(b.InitialVariantWeight ?? 1) - Number(a.InitialVariantWeight ?? 1));
    for (const variant of byWeight) {
      const model = await this.models.get(variant.ModelName);
      if (model === undefined) throw new Error(`Could not find model "${sageMakerArn(this.context, 'model', variant.ModelName)}" of production variant ${variant.VariantName}`);
      if (!isXgboost17Image(model.Image)) throw new Error(`The image ${model.Image} of model ${model.ModelName} cannot be served locally (only SageMaker XGBoost 1.7)`);
      const loaded = await loadModelFromUri(this.context.stateDir, model.ModelDataUrl);
      smokeTest(loaded.model, model.ModelDataUrl);
      variants.push({
        VariantName: variant.VariantName,
        Image: model.Image,
        ResolvedAt: now,
        Weight: Number(variant.InitialVariantWeight ?? 1),
        InstanceCount: Number(variant.InitialInstanceCount ?? 1),
      });
      live ??= {
        VariantName: variant.VariantName,
        ModelName: model.ModelName,
        Image: model.Image,
        ModelDataUrl: model.ModelDataUrl,
        ArchivePath: loaded.archivePath,
        ModelDir: loaded.modelDir,
        ...(model.ModelPackageArn !== undefined ? { ModelPackageArn: model.ModelPackageArn } : {}),
        ...(model.ModelPackageVersion !== undefined ? { ModelPackageVersion: model.ModelPackageVersion } : {}),
        ModelVersion: modelVersionOf(model),
        DeployedAt: now,
      };
    }
    if (live === undefined) throw new Error(`The endpoint configuration ${configName} has no production variants`);
    return { live, variants };
  }

  private async finish(name: string, kind: 'create' | 'update', outcome: DeployOutcome): Promise<EndpointRecord | undefined> {
    const now = nowIso(this.context);
    return this.store.update(name, (current) => {
      const expected = kind === 'create' ? EndpointStatus.Creating : EndpointStatus.Updating;
      if (current.EndpointStatus !== expected) return undefined;
      const { PendingEndpointConfigName: pending, PendingSince: _since, FailureReason: _failure, ...rest } = current;
      if (outcome.ok) {
        return {
          ...rest,
          EndpointStatus: EndpointStatus.InService,
          EndpointConfigName: pending ?? current.EndpointConfigName,
          ProductionVariants: outcome.variants,
          Live: outcome.live,
          LastModifiedTime: now,
        };
      }
      if (kind === 'create') return { ...rest, EndpointStatus: EndpointStatus.Failed, FailureReason: outcome.reason, LastModifiedTime: now };
      // Rolled back: the previous config and model stay live.
      return {
        ...rest,
        EndpointStatus: EndpointStatus.InService,
        FailureReason: `Update to endpoint configuration ${pending ?? '?'} failed and was rolled back to ${current.EndpointConfigName}: ${outcome.reason}`,
        LastModifiedTime: now,
      };
    });
  }
}

type DeployOutcome = { ok: true; live: LiveModel; variants: EndpointRecord['ProductionVariants'] } | { ok: false; reason: string };

/** One all-missing row must give a probability distribution, or the model is not servable. */
function smokeTest(model: { numClass: number; numFeatures: number; predictProba(rows: Float64Array, numRows?: number): Float64Array }, uri: string): void {
  const probabilities = model.predictProba(new Float64Array(model.numFeatures).fill(Number.NaN), 1);
  const sum = Array.from(probabilities).reduce((total, p) => total + p, 0);
  if (probabilities.length !== model.numClass || !Array.from(probabilities).every(Number.isFinite) || Math.abs(sum - 1) > 1e-6) {
    throw new Error(`The model in ${uri} failed the smoke prediction: got ${JSON.stringify(Array.from(probabilities))} for one row of missing values`);
  }
}

function modelVersionOf(model: ModelRecord): string {
  if (model.ModelPackageArn !== undefined) {
    const match = /model-package\/([^/]+)\/(\d+)$/.exec(model.ModelPackageArn);
    if (match) return `${match[1]}/${match[2]}`;
  }
  return model.ModelName;
}

function describeEndpoint(record: EndpointRecord): Record<string, unknown> {
  return {
    EndpointName: record.EndpointName,
    EndpointArn: record.EndpointArn,
    EndpointConfigName: record.EndpointConfigName,
    ...(record.ProductionVariants.length > 0
      ? {
          ProductionVariants: record.ProductionVariants.map((variant) => ({
            VariantName: variant.VariantName,
            DeployedImages: [
              {
                SpecifiedImage: variant.Image,
                ResolvedImage: `${variant.Image.split(':')[0]}@sha256:${createHash('sha256').update(variant.Image).digest('hex')}`,
                ResolutionTime: toDate(variant.ResolvedAt),
              },
            ],
            CurrentWeight: variant.Weight,
            DesiredWeight: variant.Weight,
            CurrentInstanceCount: variant.InstanceCount,
            DesiredInstanceCount: variant.InstanceCount,
          })),
        }
      : {}),
    EndpointStatus: record.EndpointStatus,
    ...(record.FailureReason !== undefined ? { FailureReason: record.FailureReason } : {}),
    CreationTime: toDate(record.CreationTime),
    LastModifiedTime: toDate(record.LastModifiedTime),
    ...(record.LastDeploymentConfig !== undefined ? { LastDeploymentConfig: record.LastDeploymentConfig } : {}),
    ...(record.PendingEndpointConfigName !== undefined
      ? { PendingDeploymentSummary: { EndpointConfigName: record.PendingEndpointConfigName, StartTime: toDate(record.PendingSince) } }
      : {}),
  };
}
