/**
 * Creates the customer feature group in a local feature store the way the CDK app defines it
 * (infra/pipeline-stack.ts CustomerFeatureGroup), online store only, for `pricesense serve` on a
 * fresh state directory, the benchmark and the tests. An existing group is left as it is.
 */
import { CUSTOMER_EVENT_TIME, CUSTOMER_FEATURES, CUSTOMER_RECORD_ID } from '../../workflow/features.js';
import { CUSTOMER_FEATURE_GROUP } from '../../workflow/resource-names.js';
import type { AwsServiceEmulator } from '../aws/emulator.js';

export async function ensureCustomerFeatureGroup(groups: AwsServiceEmulator, featureGroupName: string = CUSTOMER_FEATURE_GROUP): Promise<boolean> {
  try {
    await groups.call('DescribeFeatureGroup', { FeatureGroupName: featureGroupName });
    return false;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFound') throw error;
  }
  await groups.call('CreateFeatureGroup', {
    FeatureGroupName: featureGroupName,
    RecordIdentifierFeatureName: CUSTOMER_RECORD_ID,
    EventTimeFeatureName: CUSTOMER_EVENT_TIME,
    FeatureDefinitions: [
      { FeatureName: CUSTOMER_RECORD_ID, FeatureType: 'String' },
      { FeatureName: CUSTOMER_EVENT_TIME, FeatureType: 'String' },
      ...CUSTOMER_FEATURES.map((feature) => ({ FeatureName: feature.name, FeatureType: feature.type })),
    ],
    OnlineStoreConfig: { EnableOnlineStore: true },
  });
  return true;
}
