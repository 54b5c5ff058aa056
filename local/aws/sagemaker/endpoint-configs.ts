/** CreateEndpointConfig / DescribeEndpointConfig / DeleteEndpointConfig / ListEndpointConfigs. */
import { unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { createContext, nowIso, sageMakerArn, toDate, type SageMakerContext, type SageMakerEmulatorOptions } from './context.js';
import { paginate } from './pagination.js';
import { RecordStore } from './record-store.js';
import { validateSharedFields, optionalNumber, optionalObject, optionalString, requireArray, requireName, requireString, validationError } from './validation.js';

export interface EndpointConfigRecord {
  EndpointConfigName: string;
  EndpointConfigArn: string;
  ProductionVariants: Array<Record<string, unknown> & { VariantName: string; ModelName: string }>;
  KmsKeyId?: string;
  DataCaptureConfig?: Record<string, unknown>;
  CreationTime: string;
  Tags?: unknown[];
}

const ACTIONS = ['CreateEndpointConfig', 'DescribeEndpointConfig', 'DeleteEndpointConfig', 'ListEndpointConfigs'] as const;

export function endpointConfigStore(stateDir: string): RecordStore<EndpointConfigRecord> {
  return new RecordStore(stateDir, 'endpoint-configs');
}

export function endpointConfigNotFound(context: SageMakerContext, name: string): Error {
  return validationError(`Could not find endpoint configuration "${sageMakerArn(context, 'endpoint-config', name)}".`);
}

export class EndpointConfigsEmulator implements AwsServiceEmulator {
  readonly service = 'sagemaker';
  readonly actions: readonly string[] = ACTIONS;
  private readonly context: SageMakerContext;
  private readonly store: RecordStore<EndpointConfigRecord>;

  constructor(options: SageMakerEmulatorOptions) {
    this.context = createContext(options);
    this.store = endpointConfigStore(options.stateDir);
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action.startsWith('Create')) validateSharedFields(input);
    switch (action) {
      case 'CreateEndpointConfig':
        return this.create(input);
      case 'DescribeEndpointConfig': {
        const name = requireString(input, 'EndpointConfigName');
        const record = await this.store.get(name);
        if (record === undefined) throw endpointConfigNotFound(this.context, name);
        return describeEndpointConfig(record);
      }
      case 'DeleteEndpointConfig': {
        const name = requireString(input, 'EndpointConfigName');
        if (!(await this.store.delete(name))) throw endpointConfigNotFound(this.context, name);
        return {};
      }
      case 'ListEndpointConfigs':
        return this.list(input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  private async create(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = requireName(input, 'EndpointConfigName');
    const variants = requireArray(input, 'ProductionVariants').map((value, index) => {
      const path = `ProductionVariants.${index + 1}`;
      if (value === null || typeof value !== 'object') throw validationError(`${path} must be a ProductionVariant object, got ${JSON.stringify(value)}`);
      const variant = value as Record<string, unknown>;
      const variantName = requireString(variant, 'VariantName', `${path}.VariantName`);
      const modelName = requireString(variant, 'ModelName', `${path}.ModelName`);
      const count = optionalNumber(variant, 'InitialInstanceCount', `${path}.InitialInstanceCount`);
      if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
        throw validationError(`${path}.InitialInstanceCount must be a whole number of at least 1, got ${count}`);
      }
      if (count === undefined && variant.ServerlessConfig === undefined) {
        throw validationError(`${path} needs InitialInstanceCount and InstanceType (or ServerlessConfig)`);
      }
      return { ...variant, VariantName: variantName, ModelName: modelName, InitialVariantWeight: variant.InitialVariantWeight ?? 1 };
    });
    const names = variants.map((variant) => variant.VariantName);
    if (new Set(names).size !== names.length) throw validationError(`ProductionVariants must have unique VariantName values, got ${JSON.stringify(names)}`);
    const arn = sageMakerArn(this.context, 'endpoint-config', name);
    const kmsKeyId = optionalString(input, 'KmsKeyId');
    const capture = optionalObject(input, 'DataCaptureConfig');
    const record: EndpointConfigRecord = {
      EndpointConfigName: name,
      EndpointConfigArn: arn,
      ProductionVariants: variants,
      ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
      ...(capture !== undefined ? { DataCaptureConfig: capture } : {}),
      CreationTime: nowIso(this.context),
      ...(Array.isArray(input.Tags) ? { Tags: input.Tags } : {}),
    };
    if (!(await this.store.create(name, record))) throw validationError(`Cannot create already existing endpoint configuration "${arn}".`);
    return { EndpointConfigArn: arn };
  }

  private async list(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const nameContains = optionalString(input, 'NameContains')?.toLowerCase();
    const descending = (optionalString(input, 'SortOrder') ?? 'Descending') === 'Descending';
    const configs = (await this.store.list())
      .filter((config) => nameContains === undefined || config.EndpointConfigName.toLowerCase().includes(nameContains))
      .sort((a, b) => (a.CreationTime < b.CreationTime ? -1 : a.CreationTime > b.CreationTime ? 1 : 0) * (descending ? -1 : 1));
    const { page, nextToken } = paginate(configs, optionalNumber(input, 'MaxResults'), optionalString(input, 'NextToken'));
    return {
      EndpointConfigs: page.map((config) => ({ EndpointConfigName: config.EndpointConfigName, EndpointConfigArn: config.EndpointConfigArn, CreationTime: toDate(config.CreationTime) })),
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
  }
}

function describeEndpointConfig(record: EndpointConfigRecord): Record<string, unknown> {
  const { Tags: _tags, CreationTime, ...rest } = record;
  return { ...rest, CreationTime: toDate(CreationTime) };
}
