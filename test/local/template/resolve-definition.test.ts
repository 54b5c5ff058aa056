import { describe, expect, it } from 'vitest';
import { localResourceNames, resolveDefinition, TemplateResolutionError } from '../../../local/template/index.js';

// A template shaped like `cdk synth` output: a Fn::Join definition with Ref/GetAtt/pseudo tokens.
const template = {
  Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } },
  Resources: {
    RawBucket0C3EE094: { Type: 'AWS::S3::Bucket', Properties: {} },
    ValidateInputFn1A2B3C4D: {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { RAW_BUCKET: { Ref: 'RawBucket0C3EE094' } } } },
    },
    AlertsTopicAB12: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'pricesense-alerts' } },
    Pipeline9E1F2C3B: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Join': [
            '',
            [
              '{"StartAt":"ValidateInput","States":{"ValidateInput":{"Type":"Task","Resource":"arn:',
              { Ref: 'AWS::Partition' },
              ':states:::lambda:invoke","Arguments":{"FunctionName":"',
              { 'Fn::GetAtt': ['ValidateInputFn1A2B3C4D', 'Arn'] },
              '","Payload":{"bucket":"',
              { Ref: 'RawBucket0C3EE094' },
              '","topic":"',
              { Ref: 'AlertsTopicAB12' },
              '","region":"',
              { 'Fn::Sub': '${AWS::Region}.${AWS::URLSuffix}' },
              '","first":"',
              { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] },
              '"}},"End":true}},"QueryLanguage":"JSONata"}',
            ],
          ],
        },
      },
    },
  },
};

describe('resolveDefinition', () => {
  it('resolves Ref, GetAtt and pseudo parameters into local names', () => {
    const definition = resolveDefinition(template, 'Pipeline9E1F2C3B');

    const state = (definition.States as Record<string, { Resource: string; Arguments: Record<string, unknown> }>).ValidateInput!;
    expect(state.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(state.Arguments).toEqual({
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:validateinputfn1a2b3c4d',
      Payload: {
        bucket: 'rawbucket0c3ee094',
        topic: 'arn:aws:sns:us-east-1:000000000000:pricesense-alerts',
        region: 'us-east-1.amazonaws.com',
        first: 'b',
      },
    });
  });

  it('names the state machines of the template when the logical id is wrong', () => {
    expect(() => resolveDefinition(template, 'Nope')).toThrow(/No resource "Nope".*Pipeline9E1F2C3B/);
  });

  it('rejects a resource that is not a state machine', () => {
    expect(() => resolveDefinition(template, 'RawBucket0C3EE094')).toThrow('RawBucket0C3EE094 is a AWS::S3::Bucket, expected AWS::StepFunctions::StateMachine');
  });

  it('fails with the path of a Ref to a missing resource', () => {
    const broken = {
      Resources: {
        Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::Join': ['', ['{"x":"', { Ref: 'Ghost' }, '"}']] } } },
      },
    };

    expect(() => resolveDefinition(broken, 'Machine')).toThrow(TemplateResolutionError);
    expect(() => resolveDefinition(broken, 'Machine')).toThrow(/Ref to "Ghost"/);
  });

  it('applies DefinitionSubstitutions', () => {
    const withSubstitutions = {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue' },
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: '{"queue":"${queueUrl}"}', DefinitionSubstitutions: { queueUrl: { Ref: 'Queue' } } },
        },
      },
    };

    expect(resolveDefinition(withSubstitutions, 'Machine')).toEqual({ queue: 'https://sqs.us-east-1.amazonaws.com/000000000000/queue' });
  });
});

describe('localResourceNames', () => {
  it('keeps explicit names and derives lowercase names from logical ids', () => {
    const names = localResourceNames(template);

    expect(names.get('AlertsTopicAB12')?.name).toBe('pricesense-alerts');
    expect(names.get('RawBucket0C3EE094')).toMatchObject({ type: 'AWS::S3::Bucket', name: 'rawbucket0c3ee094', arn: 'arn:aws:s3:::rawbucket0c3ee094' });
  });

  it('resolves intrinsics inside resource properties', () => {
    const names = localResourceNames(template);

    expect(names.get('ValidateInputFn1A2B3C4D')?.properties).toEqual({ Environment: { Variables: { RAW_BUCKET: 'rawbucket0c3ee094' } } });
  });

  it('shortens long logical ids into valid bucket names', () => {
    const logicalId = `A${'VeryLongBucketLogicalId'.repeat(4)}`;
    const names = localResourceNames({ Resources: { [logicalId]: { Type: 'AWS::S3::Bucket' } } });

    expect(names.get(logicalId)?.name).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
  });

  it('reads nested explicit names of Glue databases', () => {
    const names = localResourceNames({ Resources: { Db: { Type: 'AWS::Glue::Database', Properties: { DatabaseInput: { Name: 'pricesense' } } } } });

    expect(names.get('Db')).toMatchObject({ name: 'pricesense', arn: 'arn:aws:glue:us-east-1:000000000000:database/pricesense' });
  });

  it('resolves explicit names built from pseudo parameters', () => {
    const names = localResourceNames({
      Resources: { Logs: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'logs-${AWS::AccountId}-${AWS::Region}' } } } },
    });

    expect(names.get('Logs')?.name).toBe('logs-000000000000-us-east-1');
  });
});
