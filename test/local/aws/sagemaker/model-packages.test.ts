import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelPackagesEmulator } from '../../../../local/aws/sagemaker/model-packages.js';
import { makeStateDir, steppingClock, XGBOOST_IMAGE } from './helpers.js';

const GROUP = 'pricesense-basket-price-sensitivity';
const INFERENCE = {
  Containers: [{ Image: XGBOOST_IMAGE, ModelDataUrl: 's3://pricesense-artifacts/training/ps-train-run-1/output/model.tar.gz' }],
  SupportedContentTypes: ['text/csv'],
  SupportedResponseMIMETypes: ['text/csv'],
};

describe('model registry', () => {
  let stateDir: string;
  let cleanup: () => void;
  let registry: ModelPackagesEmulator;

  beforeEach(async () => {
    ({ stateDir, cleanup } = makeStateDir());
    registry = new ModelPackagesEmulator({ stateDir, clock: steppingClock() });
    await registry.call('CreateModelPackageGroup', { ModelPackageGroupName: GROUP, ModelPackageGroupDescription: 'basket price sensitivity' });
  });
  afterEach(() => cleanup());

  const register = (status: string, extra: Record<string, unknown> = {}) =>
    registry.call('CreateModelPackage', { ModelPackageGroupName: GROUP, InferenceSpecification: INFERENCE, ModelApprovalStatus: status, ...extra });

  it('describes a group with its ARN and Completed status', async () => {
    const group = await registry.call('DescribeModelPackageGroup', { ModelPackageGroupName: GROUP });

    expect(group).toMatchObject({
      ModelPackageGroupName: GROUP,
      ModelPackageGroupArn: `arn:aws:sagemaker:us-east-1:000000000000:model-package-group/${GROUP}`,
      ModelPackageGroupDescription: 'basket price sensitivity',
      ModelPackageGroupStatus: 'Completed',
    });
    expect(group.CreationTime).toEqual(new Date('2026-01-05T10:00:00.000Z'));
  });

  it('rejects a second group with the same name', async () => {
    await expect(registry.call('CreateModelPackageGroup', { ModelPackageGroupName: GROUP })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('already exists'),
    });
  });

  it('lists groups filtered by NameContains', async () => {
    await registry.call('CreateModelPackageGroup', { ModelPackageGroupName: 'other-group' });

    const listed = await registry.call('ListModelPackageGroups', { NameContains: 'basket' });

    expect((listed.ModelPackageGroupSummaryList as Array<{ ModelPackageGroupName: string }>).map((g) => g.ModelPackageGroupName)).toEqual([GROUP]);
  });

  it('numbers packages 1, 2, 3 with versioned ARNs', async () => {
    const arns = [await register('Approved'), await register('Rejected'), await register('PendingManualApproval')].map((r) => r.ModelPackageArn);

    expect(arns).toEqual([1, 2, 3].map((v) => `arn:aws:sagemaker:us-east-1:000000000000:model-package/${GROUP}/${v}`));
  });

  it('gives concurrent registrations distinct versions', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => register('Approved')));

    const versions = results.map((r) => Number(String(r.ModelPackageArn).split('/').pop())).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('describes a package by ARN with metrics and metadata', async () => {
    const { ModelPackageArn } = await register('Approved', {
      ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://pricesense-artifacts/evaluation/run_id=r1/model-quality.json' } } },
      CustomerMetadataProperties: { executionName: 'r1', accuracy: '0.81' },
      MetadataProperties: { GeneratedBy: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/ps-train-r1' },
    });

    const described = await registry.call('DescribeModelPackage', { ModelPackageName: ModelPackageArn });

    expect(described).toMatchObject({
      ModelPackageName: GROUP,
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: 1,
      ModelPackageArn,
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: 'Approved',
      InferenceSpecification: INFERENCE,
      CustomerMetadataProperties: { executionName: 'r1', accuracy: '0.81' },
      MetadataProperties: { GeneratedBy: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/ps-train-r1' },
      ModelMetrics: { ModelQuality: { Statistics: { S3Uri: 's3://pricesense-artifacts/evaluation/run_id=r1/model-quality.json' } } },
    });
  });

  it('rejects a package in an unknown group, naming the group', async () => {
    await expect(
      registry.call('CreateModelPackage', { ModelPackageGroupName: 'no-such-group', InferenceSpecification: INFERENCE }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('"no-such-group" does not exist') });
  });

  it('rejects an unknown approval status, listing the allowed ones', async () => {
    await expect(register('Maybe')).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('[Approved, Rejected, PendingManualApproval]'),
    });
  });

  it('returns the same package for a retried ClientToken', async () => {
    const first = await register('Approved', { ClientToken: 'run-1-register' });
    const second = await register('Approved', { ClientToken: 'run-1-register' });

    expect(second.ModelPackageArn).toBe(first.ModelPackageArn);
  });

  it('reports an unknown package ARN as ValidationException', async () => {
    await expect(
      registry.call('DescribeModelPackage', { ModelPackageName: `arn:aws:sagemaker:us-east-1:000000000000:model-package/${GROUP}/9` }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('does not exist') });
  });

  it('lists the latest approved package first with SortOrder Descending and MaxResults 1', async () => {
    await register('Approved');
    await register('Approved');
    await register('Rejected');

    const listed = await registry.call('ListModelPackages', {
      ModelPackageGroupName: GROUP,
      ModelApprovalStatus: 'Approved',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    });

    expect(listed.ModelPackageSummaryList).toEqual([
      expect.objectContaining({ ModelPackageVersion: 2, ModelApprovalStatus: 'Approved', ModelPackageStatus: 'Completed' }),
    ]);
    expect(listed.NextToken).toEqual(expect.any(String));
  });

  it('pages through packages with NextToken', async () => {
    for (let i = 0; i < 3; i += 1) await register('Approved');

    const first = await registry.call('ListModelPackages', { ModelPackageGroupName: GROUP, MaxResults: 2 });
    const second = await registry.call('ListModelPackages', { ModelPackageGroupName: GROUP, MaxResults: 2, NextToken: first.NextToken });

    const versions = [...(first.ModelPackageSummaryList as unknown[]), ...(second.ModelPackageSummaryList as unknown[])].map(
      (s) => (s as { ModelPackageVersion: number }).ModelPackageVersion,
    );
    expect(versions).toEqual([1, 2, 3]);
    expect(second.NextToken).toBeUndefined();
  });

  it('changes approval status and records the description', async () => {
    const { ModelPackageArn } = await register('PendingManualApproval');

    await registry.call('UpdateModelPackage', { ModelPackageArn, ModelApprovalStatus: 'Approved', ApprovalDescription: 'metric gate passed' });
    const described = await registry.call('DescribeModelPackage', { ModelPackageName: ModelPackageArn });

    expect(described).toMatchObject({ ModelApprovalStatus: 'Approved', ApprovalDescription: 'metric gate passed' });
    expect(described.LastModifiedTime).toBeInstanceOf(Date);
  });
});
