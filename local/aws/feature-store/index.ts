/**
 * The local Feature Store: feature-group metadata (part of `sagemaker`) and the runtime API
 * (`sagemakerfeaturestoreruntime`), sharing one group store, online store and offline store.
 */
import { FeatureGroupStore } from './feature-group-store.js';
import { FeatureGroupsEmulator } from './feature-groups.js';
import { OfflineStore, type OfflineStoreOptions } from './offline-store.js';
import { OnlineStore } from './online-store.js';
import { FeatureStoreRuntimeEmulator } from './runtime.js';

export { FeatureGroupsEmulator } from './feature-groups.js';
export { FeatureStoreRuntimeEmulator } from './runtime.js';
export { FeatureGroupStore, type FeatureGroupRecord } from './feature-group-store.js';
export { OfflineStore, type OfflineStoreOptions } from './offline-store.js';
export { OnlineStore, type FeatureValue } from './online-store.js';

export interface LocalFeatureStore {
  groups: FeatureGroupsEmulator;
  runtime: FeatureStoreRuntimeEmulator;
  offline: OfflineStore;
  /** Writes buffered offline rows now (end of a run, tests). */
  flush(): Promise<void>;
  /** Writes buffered offline rows and closes the online log's read handles. */
  close(): Promise<void>;
}

export function createFeatureStore(stateDir: string, options: OfflineStoreOptions = {}): LocalFeatureStore {
  const store = new FeatureGroupStore(stateDir);
  const online = new OnlineStore(stateDir);
  const offline = new OfflineStore(stateDir, options);
  const groups = new FeatureGroupsEmulator(store, async (name) => {
    offline.discard(name);
    await online.drop(name);
  });
  return {
    groups,
    runtime: new FeatureStoreRuntimeEmulator(store, online, offline),
    offline,
    flush: () => offline.flush(),
    close: async () => {
      await offline.close();
      await online.close();
    },
  };
}
