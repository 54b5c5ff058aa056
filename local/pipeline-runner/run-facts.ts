/**
 * What the run summary needs besides the history, asked from the emulators' APIs as one would ask
 * AWS after an execution: the model package the execution registered (ListModelPackages +
 * DescribeModelPackage, matched on the lineage RegisterModel records), whether the endpoint is
 * InService (DescribeEndpoint) and RawToSilver's row counts (s3:GetObject).
 */
import type { ExecutionResult } from '../asl/index.js';
import { parseS3Uri } from '../aws/s3-location.js';
import { SILVER_STATS_FILE } from '../etl/raw-to-silver.js';
import type { LocalPipeline } from './local-pipeline.js';
import { rawToSilverSilverUri, type SummaryFacts } from './run-summary.js';

export type RunFacts = Required<Pick<SummaryFacts, 'describeModelPackage' | 'endpointUrl' | 'readSilverCounts'>>;

export interface RunFactsOptions {
  /**
   * Where the endpoint's model answers once served (`pricesense serve`'s address): the endpoint
   * emulator has no URL of its own (on AWS: the SageMaker runtime's /endpoints/NAME/invocations).
   */
  invocationsUrl: string;
}

export async function runFacts(pipeline: LocalPipeline, result: ExecutionResult, options: RunFactsOptions): Promise<RunFacts> {
  const executionArn = pipeline.executions.read(result.name).executionArn;
  const registered = await registeredPackage(pipeline, executionArn);
  const servedEndpoint = await endpointInService(pipeline);
  const silverUri = rawToSilverSilverUri(result.history as never);
  const silverCounts = silverUri === undefined ? undefined : await readSilverCounts(pipeline, silverUri);
  return {
    describeModelPackage: (arn) => (registered?.arn === arn ? registered : undefined),
    endpointUrl: (name) => (name === servedEndpoint ? options.invocationsUrl : ''),
    readSilverCounts: (uri) => (uri === silverUri ? silverCounts : undefined),
  };
}

interface RegisteredPackage {
  arn: string;
  group: string;
  version: number;
  approvalStatus: string;
}

/**
 * The model package this execution registered: the newest package of the template's model
 * package groups whose lineage (CustomerMetadataProperties.executionArn, set by RegisterModel)
 * names the execution. ListModelPackages + DescribeModelPackage, as one would ask SageMaker.
 */
async function registeredPackage(pipeline: LocalPipeline, executionArn: string): Promise<RegisteredPackage | undefined> {
  const groups = [...pipeline.names.values()].filter((resource) => resource.type === 'AWS::SageMaker::ModelPackageGroup');
  for (const group of groups) {
    let token: string | undefined;
    do {
      const page = (await pipeline.localAws.call('sagemaker', 'ListModelPackages', {
        ModelPackageGroupName: group.name,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        ...(token ? { NextToken: token } : {}),
      })) as { ModelPackageSummaryList?: Array<{ ModelPackageArn: string }>; NextToken?: string };
      for (const summary of page.ModelPackageSummaryList ?? []) {
        const described = (await pipeline.localAws.call('sagemaker', 'DescribeModelPackage', { ModelPackageName: summary.ModelPackageArn })) as {
          ModelPackageGroupName?: string;
          ModelPackageVersion?: number;
          ModelApprovalStatus?: string;
          CustomerMetadataProperties?: Record<string, string>;
        };
        if (described.CustomerMetadataProperties?.executionArn !== executionArn) continue;
        return {
          arn: summary.ModelPackageArn,
          group: described.ModelPackageGroupName ?? group.name,
          version: described.ModelPackageVersion ?? 0,
          approvalStatus: described.ModelApprovalStatus ?? 'Unknown',
        };
      }
      token = page.NextToken;
    } while (token);
  }
  return undefined;
}

/** Whether DescribeEndpoint finds the pipeline's endpoint InService. */
async function endpointInService(pipeline: LocalPipeline): Promise<string | undefined> {
  const endpointName = pipeline.config.endpointName;
  const endpoint = (await pipeline.localAws.call('sagemaker', 'DescribeEndpoint', { EndpointName: endpointName }).catch(() => undefined)) as { EndpointStatus?: string } | undefined;
  return endpoint?.EndpointStatus === 'InService' ? endpointName : undefined;
}

/** The counts RawToSilver wrote to `<silverUri>_stats.json` (06_silver_stats.sql's row), through S3 GetObject. */
async function readSilverCounts(pipeline: LocalPipeline, silverUri: string): Promise<Partial<Record<string, number>> | undefined> {
  try {
    const { bucket, key } = parseS3Uri(silverUri.endsWith('/') ? silverUri : `${silverUri}/`);
    const object = (await pipeline.localAws.call('s3', 'GetObject', { Bucket: bucket, Key: `${key}${SILVER_STATS_FILE}` })) as { Body: { transformToString(): Promise<string> } };
    const stats = JSON.parse(await object.Body.transformToString()) as { counts?: Partial<Record<string, number>> };
    return stats.counts;
  } catch {
    return undefined;
  }
}
