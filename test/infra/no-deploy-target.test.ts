/**
 * `deployTarget: 'none'` trains, gates and registers but deploys nothing: no public /predict may
 * exist, since it would answer every request with the error of an endpoint that was never created.
 */
import { describe, expect, it } from 'vitest';
import { synthForTest } from '../support/synth.js';

const { template } = synthForTest({ deployTarget: 'none' });
const resources = template.Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
const ofType = (type: string) => Object.values(resources).filter((resource) => resource.Type === type);

describe('deployTarget none', () => {
  it('creates no API Gateway /predict, no /predict Lambda and no output naming one', () => {
    expect(ofType('AWS::ApiGateway::RestApi')).toEqual([]);
    expect(JSON.stringify(resources)).not.toContain('sagemaker:InvokeEndpoint');
    expect(Object.keys(template.Outputs ?? {}).filter((name) => name.startsWith('PredictApi'))).toEqual([]);
  });

  it('still keeps the inference log table the drift check reads', () => {
    expect(ofType('AWS::DynamoDB::Table').length).toBeGreaterThanOrEqual(1);
  });
});
