/**
 * The model registry: model package groups and their versioned model packages with approval
 * status, metrics and lineage metadata. Versions are allocated by exclusive file creation, so
 * two runs registering at once get two different versions, never one overwriting the other.
 */
import { unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { createContext, nowIso, sageMakerArn, toDate, type SageMakerContext, type SageMakerEmulatorOptions } from './context.js';
import { paginate } from './pagination.js';
import { RecordStore } from './record-store.js';
import { validateSharedFields,
  oneOf,
  optionalDate,
  optionalNumber,
  optionalObject,
  optionalString,
  optionalStringMap,
  requireArray,
  requireName,
  requireObject,
  requireString,
  validationError,
} from './validation.js';

export const ModelApprovalStatus = { Approved: 'Approved', Rejected: 'Rejected', PendingManualApproval: 'PendingManualApproval' } as const;
export type ModelApprovalStatus = (typeof ModelApprovalStatus)[keyof typeof ModelApprovalStatus];
const APPROVAL_STATUSES = Object.values(ModelApprovalStatus);

export interface ModelPackageGroupRecord {
  ModelPackageGroupName: string;
  ModelPackageGroupArn: string;
  ModelPackageGroupDescription?: string;
  CreationTime: string;
  Tags?: unknown[];
}

export interface ModelPackageRecord {
  ModelPackageGroupName: string;
  ModelPackageVersion: number;
  ModelPackageArn: string;
  ModelPackageDescription?: string;
  CreationTime: string;
  LastModifiedTime?: string;
  InferenceSpecification: { Containers: Array<Record<string, unknown>>; [key: string]: unknown };
  ModelApprovalStatus: ModelApprovalStatus;
  ApprovalDescription?: string;
  MetadataProperties?: Record<string, unknown>;
  ModelMetrics?: Record<string, unknown>;
  CustomerMetadataProperties?: Record<string, string>;
  ClientToken?: string;
  Domain?: string;
  Task?: string;
  SamplePayloadUrl?: string;
  Tags?: unknown[];
}

const ACTIONS = [
  'CreateModelPackageGroup',
  'DescribeModelPackageGroup',
  'ListModelPackageGroups',
  'CreateModelPackage',
  'DescribeModelPackage',
  'ListModelPackages',
  'UpdateModelPackage',
] as const;

const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[^:]*:[^:]*:model-package\/([^/]+)\/(\d+)$/;

/** Reads the registry; also used by CreateModel (a container may name a model package). */
export class ModelRegistry {
  readonly groups: RecordStore<ModelPackageGroupRecord>;

  constructor(private readonly stateDir: string) {
    this.groups = new RecordStore(stateDir, 'model-package-groups');
  }

  packagesOf(groupName: string): RecordStore<ModelPackageRecord> {
    return new RecordStore(this.stateDir, `model-packages/${encodeURIComponent(groupName.toLowerCase())}`);
  }

  /** A package by ARN (`.../model-package/<group>/<version>`); undefined when there is none. */
  async findByArn(arn: string): Promise<ModelPackageRecord | undefined> {
    const match = PACKAGE_ARN.exec(arn);
    if (!match) return undefined;
    return this.packagesOf(match[1]!).get(match[2]!);
  }

  async require(nameOrArn: string): Promise<ModelPackageRecord> {
    if (!nameOrArn.startsWith('arn:')) {
      throw validationError(
        `ModelPackageName ${JSON.stringify(nameOrArn)} names an unversioned model package, which the local registry does not keep; pass the versioned ModelPackageArn (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
      );
    }
    const record = await this.findByArn(nameOrArn);
    if (record === undefined) throw validationError(`ModelPackage ${nameOrArn} does not exist.`);
    return record;
  }
}

export class ModelPackagesEmulator implements AwsServiceEmulator {
  readonly service = 'sagemaker';
  readonly actions: readonly string[] = ACTIONS;
  private readonly context: SageMakerContext;
  private readonly registry: ModelRegistry;

  constructor(options: SageMakerEmulatorOptions) {
    this.context = createContext(options);
    this.registry = new ModelRegistry(options.stateDir);
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action.startsWith('Create')) validateSharedFields(input);
    switch (action) {
      case 'CreateModelPackageGroup':
        return this.createGroup(input);
      case 'DescribeModelPackageGroup':
        return describeGroup(await this.requireGroup(requireString(input, 'ModelPackageGroupName')));
      case 'ListModelPackageGroups':
        return this.listGroups(input);
      case 'CreateModelPackage':
        return this.createPackage(input);
      case 'DescribeModelPackage':
        return describePackage(await this.registry.require(requireString(input, 'ModelPackageName')));
      case 'ListModelPackages':
        return this.listPackages(input);
      case 'UpdateModelPackage':
        return this.updatePackage(input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  private async createGroup(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = requireName(input, 'ModelPackageGroupName');
    const arn = sageMakerArn(this.context, 'model-package-group', name);
    const description = optionalString(input, 'ModelPackageGroupDescription');
    const record: ModelPackageGroupRecord = {
      ModelPackageGroupName: name,
      ModelPackageGroupArn: arn,
      ...(description !== undefined ? { ModelPackageGroupDescription: description } : {}),
      CreationTime: nowIso(this.context),
      ...(Array.isArray(input.Tags) ? { Tags: input.Tags } : {}),
    };
    if (!(await this.registry.groups.create(name, record))) {
      throw validationError(`Model Package Group already exists: ${arn}`);
    }
    return { ModelPackageGroupArn: arn };
  }

  private async requireGroup(name: string): Promise<ModelPackageGroupRecord> {
    const group = await this.registry.groups.get(name);
    if (group === undefined) throw validationError(`ModelPackageGroup ${name} does not exist.`);
    return group;
  }

  private async listGroups(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const nameContains = optionalString(input, 'NameContains')?.toLowerCase();
    const after = optionalDate(input, 'CreationTimeAfter');
    const before = optionalDate(input, 'CreationTimeBefore');
    const sortBy = oneOf(input.SortBy ?? 'CreationTime', ['Name', 'CreationTime'] as const, 'sortBy');
    const order = oneOf(input.SortOrder ?? 'Ascending', ['Ascending', 'Descending'] as const, 'sortOrder');
    const groups = (await this.registry.groups.list())
      .filter((group) => nameContains === undefined || group.ModelPackageGroupName.toLowerCase().includes(nameContains))
      .filter((group) => after === undefined || Date.parse(group.CreationTime) > after.getTime())
      .filter((group) => before === undefined || Date.parse(group.CreationTime) < before.getTime())
      .sort(compareBy((group) => (sortBy === 'Name' ? group.ModelPackageGroupName : group.CreationTime), order));
    const { page, nextToken } = paginate(groups, optionalNumber(input, 'MaxResults'), optionalString(input, 'NextToken'), 100);
    return {
      ModelPackageGroupSummaryList: page.map((group) => {
        const { CreatedBy: _createdBy, ...summary } = describeGroup(group);
        return summary;
      }),
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
  }

  private async createPackage(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const groupName = optionalString(input, 'ModelPackageGroupName');
    if (groupName === undefined) {
      const name = optionalString(input, 'ModelPackageName');
      throw validationError(
        `ModelPackageGroupName is required: the local registry keeps versioned model packages only${name !== undefined ? ` (got ModelPackageName ${JSON.stringify(name)} without a group)` : ''}`,
      );
    }
    const group = await this.registry.groups.get(groupName);
    if (group === undefined) {
      throw validationError(`Model Package Group ${JSON.stringify(groupName)} does not exist; create it with CreateModelPackageGroup first`);
    }
    const inference = requireObject(input, 'InferenceSpecification');
    const containers = requireArray(inference, 'Containers', 'InferenceSpecification.Containers').map((container, index) => {
      if (container === null || typeof container !== 'object') {
        throw validationError(`InferenceSpecification.Containers.${index + 1} must be a container definition, got ${JSON.stringify(container)}`);
      }
      requireString(container as Record<string, unknown>, 'Image', `InferenceSpecification.Containers.${index + 1}.Image`);
      return container as Record<string, unknown>;
    });
    const approval = oneOf(input.ModelApprovalStatus ?? ModelApprovalStatus.PendingManualApproval, APPROVAL_STATUSES, 'modelApprovalStatus');
    const clientToken = optionalString(input, 'ClientToken');
    const packages = this.registry.packagesOf(group.ModelPackageGroupName);

    // A retried request with the same ClientToken gets the package it already created.
    if (clientToken !== undefined) {
      const previous = (await packages.list()).find((record) => record.ClientToken === clientToken);
      if (previous !== undefined) return { ModelPackageArn: previous.ModelPackageArn };
    }

    const description = optionalString(input, 'ModelPackageDescription');
    const metadata = optionalObject(input, 'MetadataProperties');
    const metrics = optionalObject(input, 'ModelMetrics');
    const customer = optionalStringMap(input, 'CustomerMetadataProperties');
    const extra: Partial<ModelPackageRecord> = {};
    for (const field of ['Domain', 'Task', 'SamplePayloadUrl'] as const) {
      const value = optionalString(input, field);
      if (value !== undefined) extra[field] = value;
    }
    let version = (await packages.list()).length + 1;
    for (;;) {
      const arn = `arn:aws:sagemaker:${this.context.region}:${this.context.accountId}:model-package/${group.ModelPackageGroupName.toLowerCase()}/${version}`;
      const record: ModelPackageRecord = {
        ModelPackageGroupName: group.ModelPackageGroupName,
        ModelPackageVersion: version,
        ModelPackageArn: arn,
        ...(description !== undefined ? { ModelPackageDescription: description } : {}),
        CreationTime: nowIso(this.context),
        InferenceSpecification: { ...inference, Containers: containers },
        ModelApprovalStatus: approval,
        ...(metadata !== undefined ? { MetadataProperties: metadata } : {}),
        ...(metrics !== undefined ? { ModelMetrics: metrics } : {}),
        ...(customer !== undefined ? { CustomerMetadataProperties: customer } : {}),
        ...(clientToken !== undefined ? { ClientToken: clientToken } : {}),
        ...extra,
        ...(Array.isArray(input.Tags) ? { Tags: input.Tags } : {}),
      };
      if (await packages.create(String(version), record)) return { ModelPackageArn: arn };
      version += 1;
    }
  }

  private async listPackages(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const groupName = optionalString(input, 'ModelPackageGroupName');
    const approval = input.ModelApprovalStatus === undefined ? undefined : oneOf(input.ModelApprovalStatus, APPROVAL_STATUSES, 'modelApprovalStatus');
    const nameContains = optionalString(input, 'NameContains')?.toLowerCase();
    const after = optionalDate(input, 'CreationTimeAfter');
    const before = optionalDate(input, 'CreationTimeBefore');
    const sortBy = oneOf(input.SortBy ?? 'CreationTime', ['Name', 'CreationTime'] as const, 'sortBy');
    const order = oneOf(input.SortOrder ?? 'Ascending', ['Ascending', 'Descending'] as const, 'sortOrder');
    const groupNames = groupName !== undefined ? [groupName] : (await this.registry.groups.list()).map((group) => group.ModelPackageGroupName);
    const records: ModelPackageRecord[] = [];
    for (const name of groupNames) records.push(...(await this.registry.packagesOf(name).list()));
    const selected = records
      .filter((record) => approval === undefined || record.ModelApprovalStatus === approval)
      .filter((record) => nameContains === undefined || record.ModelPackageGroupName.toLowerCase().includes(nameContains))
      .filter((record) => after === undefined || Date.parse(record.CreationTime) > after.getTime())
      .filter((record) => before === undefined || Date.parse(record.CreationTime) < before.getTime())
      // Versions break ties between packages created in the same millisecond.
      .sort(compareBy((record) => (sortBy === 'Name' ? `${record.ModelPackageGroupName}/${pad(record.ModelPackageVersion)}` : `${record.CreationTime}/${pad(record.ModelPackageVersion)}`), order));
    const { page, nextToken } = paginate(selected, optionalNumber(input, 'MaxResults'), optionalString(input, 'NextToken'), 100);
    return {
      ModelPackageSummaryList: page.map((record) => ({
        ModelPackageName: record.ModelPackageGroupName,
        ModelPackageGroupName: record.ModelPackageGroupName,
        ModelPackageVersion: record.ModelPackageVersion,
        ModelPackageArn: record.ModelPackageArn,
        ...(record.ModelPackageDescription !== undefined ? { ModelPackageDescription: record.ModelPackageDescription } : {}),
        CreationTime: toDate(record.CreationTime),
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: record.ModelApprovalStatus,
      })),
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
  }

  private async updatePackage(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const arn = requireString(input, 'ModelPackageArn');
    const existing = await this.registry.require(arn);
    const approval = input.ModelApprovalStatus === undefined ? undefined : oneOf(input.ModelApprovalStatus, APPROVAL_STATUSES, 'modelApprovalStatus');
    const approvalDescription = optionalString(input, 'ApprovalDescription');
    const customer = optionalStringMap(input, 'CustomerMetadataProperties');
    const toRemove = input.CustomerMetadataPropertiesToRemove;
    if (toRemove !== undefined && !(Array.isArray(toRemove) && toRemove.every((key) => typeof key === 'string'))) {
      throw validationError(`CustomerMetadataPropertiesToRemove must be a list of keys, got ${JSON.stringify(toRemove)}`);
    }
    const now = nowIso(this.context);
    await this.registry.packagesOf(existing.ModelPackageGroupName).update(String(existing.ModelPackageVersion), (current) => {
      const properties = { ...(current.CustomerMetadataProperties ?? {}), ...(customer ?? {}) };
      for (const key of (toRemove as string[] | undefined) ?? []) delete properties[key];
      return {
        ...current,
        ...(approval !== undefined ? { ModelApprovalStatus: approval } : {}),
        ...(approvalDescription !== undefined ? { ApprovalDescription: approvalDescription } : {}),
        ...(Object.keys(properties).length > 0 || current.CustomerMetadataProperties !== undefined ? { CustomerMetadataProperties: properties } : {}),
        LastModifiedTime: now,
      };
    });
    return { ModelPackageArn: existing.ModelPackageArn };
  }
}

function describeGroup(group: ModelPackageGroupRecord): Record<string, unknown> {
  return {
    ModelPackageGroupName: group.ModelPackageGroupName,
    ModelPackageGroupArn: group.ModelPackageGroupArn,
    ...(group.ModelPackageGroupDescription !== undefined ? { ModelPackageGroupDescription: group.ModelPackageGroupDescription } : {}),
    CreationTime: toDate(group.CreationTime),
    CreatedBy: {},
    ModelPackageGroupStatus: 'Completed',
  };
}

export function describePackage(record: ModelPackageRecord): Record<string, unknown> {
  const { ClientToken: _token, Tags: _tags, CreationTime, LastModifiedTime, ...rest } = record;
  return {
    ...rest,
    // Versioned packages carry their group's name as their own name.
    ModelPackageName: record.ModelPackageGroupName,
    CreationTime: toDate(CreationTime),
    ...(LastModifiedTime !== undefined ? { LastModifiedTime: toDate(LastModifiedTime), LastModifiedBy: {} } : {}),
    ModelPackageStatus: 'Completed',
    ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
    CertifyForMarketplace: false,
    CreatedBy: {},
  };
}

function pad(version: number): string {
  return String(version).padStart(10, '0');
}

function compareBy<T>(key: (item: T) => string, order: 'Ascending' | 'Descending'): (a: T, b: T) => number {
  return (a, b) => {
    const result = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    return order === 'Descending' ? -result : result;
  };
}

