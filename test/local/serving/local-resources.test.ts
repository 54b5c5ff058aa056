/**
 * `pricesense serve` serves what `pricesense run` deployed in the same state directory: the names
 * come from the synthesized template (as the run's bootstrap writes them) and serve uses them
 * without flags.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFeatureStore } from '../../../local/aws/feature-store/index.js';
import { LOCAL_RESOURCES_FILE, readLocalResources, servingResourceNames, writeLocalResources } from '../../../local/serving/local-resources.js';
import { deployModelLocally } from '../../../local/serving/local-deployment.js';
import { startServe } from '../../../local/serving/serve-app.js';
import { localResourceNames } from '../../../local/template/local-names.js';
import { DEFAULT_CONFIG } from '../../../workflow/config.js';
import { CUSTOMER_FEATURE_GROUP } from '../../../workflow/resource-names.js';
import { synthForTest } from '../../support/synth.js';
import { TEST_REFERENCE_PRICES, validBasket, writeStumpModel } from './serving-fixtures.js';

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'serve-resources-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('local serving resources', () => {
  it('takes the inference table, feature group and endpoint from the synthesized template', () => {
    const names = localResourceNames(synthForTest().template);
    const table = [...names.entries()].find(([logicalId, r]) => r.type === 'AWS::DynamoDB::Table' && logicalId.startsWith('InferenceLogTable'))![1];

    expect(servingResourceNames(names.values())).toEqual({ inferenceTableName: table.name, featureGroupName: CUSTOMER_FEATURE_GROUP, endpointName: DEFAULT_CONFIG.endpointName });
  });

  it('serve records to the table and follows the endpoint the run wrote, with no flags', async () => {
    const dir = stateDir();
    await writeLocalResources(dir, [
      { type: 'AWS::DynamoDB::Table', name: 'run-inference-log', properties: {} },
      { type: 'AWS::SageMaker::FeatureGroup', name: 'run-customers', properties: {} },
      { type: 'AWS::Lambda::Function', name: 'predict-fn', properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'predict', ENDPOINT_NAME: 'run-endpoint' } } } },
    ]);
    await deployModelLocally({ stateDir: dir, endpointName: 'run-endpoint', modelPath: writeStumpModel([[1, 0], [0, 1], [0, 0]]), version: 'run-model/1' });
    const app = await startServe({ stateDir: dir, port: 0, referencePrices: TEST_REFERENCE_PRICES });
    try {
      const res = await fetch(`${app.url}/predict`, { method: 'POST', body: JSON.stringify(validBasket()), headers: { 'Content-Type': 'application/json' } });
      const body = (await res.json()) as { modelVersion: string; inferenceId: string };
      await app.recorder.flush();

      const logged = readFileSync(join(dir, 'dynamodb', 'run-inference-log', 'items.jsonl'), 'utf8');
      const group = await createFeatureStore(dir).groups.call('DescribeFeatureGroup', { FeatureGroupName: 'run-customers' });
      expect([res.status, body.modelVersion, logged.includes(body.inferenceId), group.FeatureGroupName]).toEqual([200, 'run-model/1', true, 'run-customers']);
    } finally {
      await app.close();
    }
  });

  it('names the file when it is not valid JSON', () => {
    const dir = stateDir();
    writeFileSync(join(dir, LOCAL_RESOURCES_FILE), '{"inferenceTableName": ');

    expect(() => readLocalResources(dir)).toThrow(`${join(dir, LOCAL_RESOURCES_FILE)} is not valid JSON`);
  });

  it('rejects a name that is not a string, naming the key and value', () => {
    const dir = stateDir();
    writeFileSync(join(dir, LOCAL_RESOURCES_FILE), '{"endpointName": 7}');

    expect(() => readLocalResources(dir)).toThrow('endpointName must be a non-empty string, got 7');
  });
});
