/**
 * CreateModel / DescribeModel / DeleteModel / ListModels. A model binds an inference image to a
 * model archive; a container may instead name a registered model package, whose image and
 * archive it then uses (and whose ARN and version the endpoint later reports as live).
 */
import { unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { createContext, nowIso, sageMakerArn, toDate, type SageMakerContext, type SageMakerEmulatorOptions } from './context.js';
import { ModelRegistry } from './model-packages.js';
import { paginate } from './pagination.js';
import { RecordStore } from './record-store.js';
import { validateSharedFields, optionalBoolean, optionalNumber, optionalObject, optionalString, optionalStringMap, requireName, requireString, validationError } from './validation.js';
import { requireXgboost17Image } from './xgboost-image.js';

export interface ModelRecord {
  ModelName: string;
  ModelArn: string;
  PrimaryContainer: Record<string, unknown>;
  ExecutionRoleArn?: string;
  EnableNetworkIsolation: boolean;
  CreationTime: string;
  Tags?: unknown[];
  /** Resolved for serving: the image, the archive, and the package it came from if known. */
  Image: string;
  ModelDataUrl: string;
  ModelPackageArn?: string;
  ModelPackageVersion?: number;
}

const ACTIONS = ['CreateModel', 'DescribeModel', 'DeleteModel', 'ListModels'] as const;

/** A model's package may also be named in the container environment or a tag, for lineage. */
export const MODEL_PACKAGE_ARN_KEYS = ['ModelPackageArn', 'MODEL_PACKAGE_ARN', 'PRICESENSE_MODEL_PACKAGE_ARN'] as const;

export function modelStore(stateDir: string): RecordStore<ModelRecord> {
  return new RecordStore(stateDir, 'models');
}

export function modelNotFound(context: SageMakerContext, name: string): Error {
  return validationError(`Could not find model "${sageMakerArn(context, 'model', name)}".`);
}

export class ModelsEmulator implements AwsServiceEmulator {
  readonly service = 'sagemaker';
  readonly actions: readonly string[] = ACTIONS;
  private readonly context: SageMakerContext;
  private readonly store: RecordStore<ModelRecord>;
  private readonly registry: ModelRegistry;

  constructor(options: SageMakerEmulatorOptions) {
    this.context = createContext(options);
    this.store = modelStore(options.stateDir);
    this.registry = new ModelRegistry(options.stateDir);
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action.startsWith('Create')) validateSharedFields(input);
    switch (action) {
      case 'CreateModel':
        return this.create(input);
      case 'DescribeModel':
        return describeModel(await this.require(requireString(input, 'ModelName')));
      case 'DeleteModel': {
        const name = requireString(input, 'ModelName');
        if (!(await this.store.delete(name))) throw modelNotFound(this.context, name);
        return {};
      }
      case 'ListModels':
        return this.list(input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  private async require(name: string): Promise<ModelRecord> {
    const record = await this.store.get(name);
    if (record === undefined) throw modelNotFound(this.context, name);
    return record;
  }

  private async create(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = requireName(input, 'ModelName');
    const container = this.primaryContainer(input);
    const packageName = optionalString(container, 'ModelPackageName', 'PrimaryContainer.ModelPackageName');
    let image: string;
    let modelDataUrl: string;
    let packageArn: string | undefined;
    let packageVersion: number | undefined;
    if (packageName !== undefined) {
      const modelPackage = await this.registry.require(packageName);
      const packageContainer = modelPackage.InferenceSpecification.Containers[0]!;
      image = String(packageContainer.Image);
      modelDataUrl = requireString(packageContainer, 'ModelDataUrl', `model package ${modelPackage.ModelPackageArn} InferenceSpecification.Containers.1.ModelDataUrl`);
      packageArn = modelPackage.ModelPackageArn;
      packageVersion = modelPackage.ModelPackageVersion;
    } else {
      image = requireString(container, 'Image', 'PrimaryContainer.Image');
      modelDataUrl = requireString(container, 'ModelDataUrl', 'PrimaryContainer.ModelDataUrl');
      packageArn = lineagePackageArn(container, input.Tags);
      if (packageArn !== undefined) packageVersion = Number(/\/(\d+)$/.exec(packageArn)?.[1] ?? Number.NaN);
    }
    requireXgboost17Image(image, 'PrimaryContainer.Image');
    if (!modelDataUrl.startsWith('s3://')) {
      throw validationError(`PrimaryContainer.ModelDataUrl must be an S3 URI of a model.tar.gz, got ${JSON.stringify(modelDataUrl)}`);
    }
    const arn = sageMakerArn(this.context, 'model', name);
    const role = optionalString(input, 'ExecutionRoleArn');
    const record: ModelRecord = {
      ModelName: name,
      ModelArn: arn,
      PrimaryContainer: container,
      ...(role !== undefined ? { ExecutionRoleArn: role } : {}),
      EnableNetworkIsolation: optionalBoolean(input, 'EnableNetworkIsolation') ?? false,
      CreationTime: nowIso(this.context),
      ...(Array.isArray(input.Tags) ? { Tags: input.Tags } : {}),
      Image: image,
      ModelDataUrl: modelDataUrl,
      ...(packageArn !== undefined ? { ModelPackageArn: packageArn } : {}),
      ...(packageVersion !== undefined && Number.isInteger(packageVersion) ? { ModelPackageVersion: packageVersion } : {}),
    };
    if (!(await this.store.create(name, record))) {
      throw validationError(`Cannot create already existing model "${arn}".`);
    }
    return { ModelArn: arn };
  }

  private primaryContainer(input: Record<string, unknown>): Record<string, unknown> {
    const primary = optionalObject(input, 'PrimaryContainer');
    if (primary !== undefined) {
      optionalStringMap(primary, 'Environment');
      return primary;
    }
    const containers = input.Containers;
    if (Array.isArray(containers) && containers.length === 1 && containers[0] !== null && typeof containers[0] === 'object') {
      return containers[0] as Record<string, unknown>;
    }
    throw validationError(
      `CreateModel needs PrimaryContainer (or exactly one entry in Containers; the local emulator serves single-container models), got ${JSON.stringify(containers ?? null)}`,
    );
  }

  private async list(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const nameContains = optionalString(input, 'NameContains')?.toLowerCase();
    const descending = (optionalString(input, 'SortOrder') ?? 'Descending') === 'Descending';
    const models = (await this.store.list())
      .filter((model) => nameContains === undefined || model.ModelName.toLowerCase().includes(nameContains))
      .sort((a, b) => (a.CreationTime < b.CreationTime ? -1 : a.CreationTime > b.CreationTime ? 1 : 0) * (descending ? -1 : 1));
    const { page, nextToken } = paginate(models, optionalNumber(input, 'MaxResults'), optionalString(input, 'NextToken'));
    return {
      Models: page.map((model) => ({ ModelName: model.ModelName, ModelArn: model.ModelArn, CreationTime: toDate(model.CreationTime) })),
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
  }
}

function lineagePackageArn(container: Record<string, unknown>, tags: unknown): string | undefined {
  const environment = (container.Environment ?? {}) as Record<string, unknown>;
  for (const key of MODEL_PACKAGE_ARN_KEYS) {
    if (typeof environment[key] === 'string') return environment[key] as string;
  }
  if (Array.isArray(tags)) {
    for (const tag of tags as Array<{ Key?: unknown; Value?: unknown }>) {
      if (typeof tag.Key === 'string' && (MODEL_PACKAGE_ARN_KEYS as readonly string[]).includes(tag.Key) && typeof tag.Value === 'string') return tag.Value;
    }
  }
  return undefined;
}

function describeModel(record: ModelRecord): Record<string, unknown> {
  return {
    ModelName: record.ModelName,
    PrimaryContainer: record.PrimaryContainer,
    ...(record.ExecutionRoleArn !== undefined ? { ExecutionRoleArn: record.ExecutionRoleArn } : {}),
    CreationTime: toDate(record.CreationTime),
    ModelArn: record.ModelArn,
    EnableNetworkIsolation: record.EnableNetworkIsolation,
  };
}
