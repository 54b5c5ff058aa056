/**
 * Feature group metadata, served as part of the `sagemaker` service: CreateFeatureGroup,
 * DescribeFeatureGroup, ListFeatureGroups, DeleteFeatureGroup.
 */
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { RequestValidator, SERVICE_VALIDATION } from '../request-validation.js';
import { FeatureGroupStore, LOCAL_ACCOUNT_ID, LOCAL_REGION, type FeatureGroupRecord, type FeatureType } from './feature-group-store.js';

const NAME = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;
const FEATURE_NAME = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;
const FEATURE_TYPES: readonly FeatureType[] = ['Integral', 'Fractional', 'String'];
/** Names the offline store adds itself; a feature may not use them. */
const RESERVED = new Set(['is_deleted', 'write_time', 'api_invocation_time']);

const groups = new RequestValidator(SERVICE_VALIDATION.featureGroups);
const validation = (message: string): AwsServiceError => groups.error(message);

export class FeatureGroupsEmulator implements AwsServiceEmulator {
  readonly service = 'sagemaker';
  readonly actions = ['CreateFeatureGroup', 'DescribeFeatureGroup', 'ListFeatureGroups', 'DeleteFeatureGroup'] as const;

  constructor(
    private readonly store: FeatureGroupStore,
    private readonly onDelete: (name: string) => Promise<void> = async () => undefined,
  ) {}

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (action) {
      case 'CreateFeatureGroup':
        return this.create(input);
      case 'DescribeFeatureGroup':
        return this.describe(await this.store.get(String(input.FeatureGroupName)));
      case 'ListFeatureGroups':
        return {
          FeatureGroupSummaries: (await this.store.list()).map((g) => ({
            FeatureGroupName: g.FeatureGroupName,
            FeatureGroupArn: g.FeatureGroupArn,
            CreationTime: new Date(g.CreationTime),
            FeatureGroupStatus: 'Created',
            ...(g.OfflineStoreConfig ? { OfflineStoreStatus: { Status: 'Active' } } : {}),
          })),
        };
      case 'DeleteFeatureGroup': {
        const name = String(input.FeatureGroupName);
        await this.store.get(name);
        await this.onDelete(name);
        await this.store.remove(name);
        return {};
      }
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  async create(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = groups.requiredString(input, 'FeatureGroupName', { pattern: NAME, expected: 'must be 1-64 letters, digits, - or _, starting and ending with a letter or digit' });
    const definitions = groups.requiredList(input, 'FeatureDefinitions', { maxLength: 2500, expected: 'must list 1-2500 features of {FeatureName, FeatureType}' });
    const seen = new Set<string>();
    for (const [index, definition] of (definitions as Array<Record<string, unknown>>).entries()) {
      const featureName = definition.FeatureName;
      if (typeof featureName !== 'string' || !FEATURE_NAME.test(featureName)) {
        throw validation(`FeatureDefinitions[${index}].FeatureName ${JSON.stringify(featureName)} is not a valid feature name`);
      }
      if (RESERVED.has(featureName.toLowerCase())) throw validation(`FeatureDefinitions[${index}].FeatureName ${featureName} is reserved by the offline store`);
      if (seen.has(featureName.toLowerCase())) throw validation(`FeatureDefinitions lists ${featureName} twice`);
      seen.add(featureName.toLowerCase());
      groups.oneOf(definition.FeatureType, FEATURE_TYPES, `FeatureDefinitions[${index}].FeatureType`);
    }
    const byName = new Map((definitions as Array<{ FeatureName: string; FeatureType: FeatureType }>).map((d) => [d.FeatureName, d.FeatureType]));
    const recordId = String(input.RecordIdentifierFeatureName ?? '');
    const eventTime = String(input.EventTimeFeatureName ?? '');
    if (!byName.has(recordId) || byName.get(recordId) === 'Fractional') {
      throw validation(`RecordIdentifierFeatureName ${JSON.stringify(recordId)} must name an Integral or String feature in FeatureDefinitions`);
    }
    if (!byName.has(eventTime) || byName.get(eventTime) === 'Integral') {
      throw validation(`EventTimeFeatureName ${JSON.stringify(eventTime)} must name a Fractional or String feature in FeatureDefinitions`);
    }
    if (!input.OnlineStoreConfig && !input.OfflineStoreConfig) {
      throw validation('At least one of OnlineStoreConfig or OfflineStoreConfig must be specified');
    }
    if (await this.store.find(name)) {
      throw new AwsServiceError('ResourceInUse', `Resource Already Exists: FeatureGroup with name ${name} already exists. Choose a different name.`);
    }
    const created = new Date();
    const record: FeatureGroupRecord = {
      FeatureGroupName: name,
      FeatureGroupArn: `arn:aws:sagemaker:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:feature-group/${name.toLowerCase()}`,
      RecordIdentifierFeatureName: recordId,
      EventTimeFeatureName: eventTime,
      FeatureDefinitions: definitions as FeatureGroupRecord['FeatureDefinitions'],
      CreationTime: created.toISOString(),
    };
    if (input.OnlineStoreConfig) record.OnlineStoreConfig = input.OnlineStoreConfig as Record<string, unknown>;
    if (input.OfflineStoreConfig) {
      const offline = structuredClone(input.OfflineStoreConfig) as NonNullable<FeatureGroupRecord['OfflineStoreConfig']>;
      const s3Uri = offline.S3StorageConfig?.S3Uri;
      if (typeof s3Uri !== 'string' || !s3Uri.startsWith('s3://')) {
        throw validation(`OfflineStoreConfig.S3StorageConfig.S3Uri must be an s3:// URI, got ${JSON.stringify(s3Uri)}`);
      }
      // Same layout AWS resolves the offline store to.
      offline.S3StorageConfig.ResolvedOutputS3Uri = `${s3Uri.replace(/\/+$/, '')}/${LOCAL_ACCOUNT_ID}/sagemaker/${LOCAL_REGION}/offline-store/${name}-${Math.floor(created.getTime() / 1000)}/data`;
      record.OfflineStoreConfig = offline;
    }
    if (typeof input.RoleArn === 'string') record.RoleArn = input.RoleArn;
    if (typeof input.Description === 'string') record.Description = input.Description;
    await this.store.save(record);
    return { FeatureGroupArn: record.FeatureGroupArn };
  }

  private describe(record: FeatureGroupRecord): Record<string, unknown> {
    return {
      ...record,
      CreationTime: new Date(record.CreationTime),
      FeatureGroupStatus: 'Created',
      ...(record.OfflineStoreConfig ? { OfflineStoreStatus: { Status: 'Active' } } : {}),
      NextToken: '',
    };
  }
}
