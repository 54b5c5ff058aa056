/**
 * training.tuning against the synthesized template's IAM: the state machine role may run the
 * tuning states and nothing outside the ps-tune-* names, the managed rule of
 * createHyperParameterTuningJob.sync is grantable at deploy time, and RecordExperiment may write
 * only under experiments/.
 */
import { describe, expect, it } from 'vitest';
import { LocalAws } from '../../../local/aws/registry.js';
import { IamEnforcement } from '../../../local/iam/enforcement.js';
import { localResourceNames, resolveDefinition } from '../../../local/template/index.js';
import { synthForTest } from '../../support/synth.js';
import { denialOf } from '../../support/iam-denial.js';

const synthesized = synthForTest({ training: { tuning: { enabled: true } } });
const names = localResourceNames(synthesized.template);
const enforcement = new IamEnforcement({ names, stateMachineArn: names.get(synthesized.stateMachineLogicalId)!.arn, localAws: new LocalAws() });
const sageMakerRole = [...names.values()].find((r) => r.type === 'AWS::IAM::Role' && /^sagemakerexecutionrole/.test(r.name))!.arn;
const artifacts = [...names.values()].find((r) => r.type === 'AWS::S3::Bucket' && /^artifactsbucket/.test(r.name))!.name;
const principal = enforcement.stateMachinePrincipal;


describe('the state machine role with training.tuning on', () => {
  it('may create a ps-tune-* tuning job passing the SageMaker execution role, with tags', async () => {
    const request = { HyperParameterTuningJobName: 'ps-tune-0123456789abcdef01234567', TrainingJobDefinition: { RoleArn: sageMakerRole }, Tags: [{ Key: 'pricesense:run-id', Value: 'r1' }] };
    await expect(enforcement.authorizeCall(principal, 'sagemaker', 'CreateHyperParameterTuningJob', request)).resolves.toBeUndefined();
  });

  it('may describe, stop and list the trials of its tuning jobs, and describe the trials', async () => {
    for (const action of ['DescribeHyperParameterTuningJob', 'StopHyperParameterTuningJob', 'ListTrainingJobsForHyperParameterTuningJob']) {
      await expect(enforcement.authorizeCall(principal, 'sagemaker', action, { HyperParameterTuningJobName: 'ps-tune-0123456789abcdef01234567' })).resolves.toBeUndefined();
    }
    await expect(enforcement.authorizeCall(principal, 'sagemaker', 'DescribeTrainingJob', { TrainingJobName: 'ps-tune-0123456789abcdef01234567-003-0e3340e3' })).resolves.toBeUndefined();
  });

  it('may not create a tuning job outside its ps-tune-* names', async () => {
    const denial = await denialOf(enforcement.authorizeCall(principal, 'sagemaker', 'CreateHyperParameterTuningJob', { HyperParameterTuningJobName: 'someone-elses-tuning', TrainingJobDefinition: { RoleArn: sageMakerRole } }));
    expect(denial?.message).toContain('is not authorized to perform: sagemaker:CreateHyperParameterTuningJob on resource: arn:aws:sagemaker:us-east-1:000000000000:hyper-parameter-tuning-job/someone-elses-tuning');
  });

  it('may create the managed rule of createHyperParameterTuningJob.sync at deploy time', async () => {
    const definition = resolveDefinition(synthesized.template, synthesized.stateMachineLogicalId, names);
    expect(JSON.stringify(definition)).toContain('createHyperParameterTuningJob.sync');
    await expect(enforcement.checkDeployment(definition)).resolves.toBeUndefined();
  });

  it('may write experiment records under experiments/ and nothing else of the artifacts bucket through RecordExperiment', async () => {
    await expect(enforcement.authorizeCall(principal, 's3', 'PutObject', { Bucket: artifacts, Key: 'experiments/run_id=r1/experiment.json' })).resolves.toBeUndefined();
    const denial = await denialOf(enforcement.authorizeCall(principal, 's3', 'PutObject', { Bucket: artifacts, Key: 'evaluation/run_id=r1/model-quality.json' }));
    expect(denial?.message).toContain('s3:PutObject');
  });
});
