/**
 * Feature group definitions as SageMaker's DescribeFeatureGroup returns them, persisted under
 * `<stateDir>/feature-store/groups/<name>.json` so every process (CLI, serving) sees the same set.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError } from '../emulator.js';
import { writeJsonAtomic } from '../../state/atomic-write.js';

export type FeatureType = 'Integral' | 'Fractional' | 'String';

export interface FeatureGroupRecord {
  FeatureGroupName: string;
  FeatureGroupArn: string;
  RecordIdentifierFeatureName: string;
  EventTimeFeatureName: string;
  FeatureDefinitions: Array<{ FeatureName: string; FeatureType: FeatureType }>;
  OnlineStoreConfig?: Record<string, unknown>;
  OfflineStoreConfig?: { S3StorageConfig: { S3Uri: string; ResolvedOutputS3Uri?: string; KmsKeyId?: string }; DisableGlueTableCreation?: boolean; DataCatalogConfig?: Record<string, unknown>; TableFormat?: string };
  RoleArn?: string;
  Description?: string;
  CreationTime: string;
}

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export class FeatureGroupStore {
  private readonly cache = new Map<string, FeatureGroupRecord>();

  constructor(readonly stateDir: string) {}

  private path(name: string): string {
    return join(this.stateDir, 'feature-store', 'groups', `${name}.json`);
  }

  async find(name: string): Promise<FeatureGroupRecord | undefined> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const text = await readFile(this.path(name), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const record = JSON.parse(text) as FeatureGroupRecord;
    this.cache.set(name, record);
    return record;
  }

  async get(name: string): Promise<FeatureGroupRecord> {
    const record = await this.find(name);
    if (!record) throw new AwsServiceError('ResourceNotFound', `Resource Not Found: Amazon SageMaker can't find a FeatureGroup with name ${name}`);
    return record;
  }

  async save(record: FeatureGroupRecord): Promise<void> {
    await writeJsonAtomic(this.path(record.FeatureGroupName), record);
    this.cache.set(record.FeatureGroupName, record);
  }

  async remove(name: string): Promise<void> {
    await rm(this.path(name), { force: true });
    this.cache.delete(name);
  }

  async list(): Promise<FeatureGroupRecord[]> {
    const files = await readdir(join(this.stateDir, 'feature-store', 'groups')).catch(() => []);
    const records: FeatureGroupRecord[] = [];
    for (const file of files.filter((f) => f.endsWith('.json')).sort()) {
      const record = await this.find(file.slice(0, -'.json'.length));
      if (record) records.push(record);
    }
    return records;
  }
}
