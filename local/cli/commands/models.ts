/**
 * `pricesense models`: the model packages in the local registry, and which one each endpoint
 * serves. Everything is asked through the emulators' AWS APIs (ListModelPackageGroups,
 * ListModelPackages, DescribeModelPackage, ListEndpoints, DescribeEndpoint, DescribeEndpointConfig,
 * DescribeModel, and S3 GetObject for the quality report), as the same questions would be on AWS.
 */
import type { ClassMetrics, MetricIntervals } from '../../../workflow/payloads.js';
import type { LocalAws } from '../../aws/registry.js';
import { parseS3Uri } from '../../aws/s3-location.js';
import { openLocalBackend } from '../../backend/open-local-backend.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode } from '../usage-error.js';
import { noPositionals, parseOptions } from '../parse-options.js';

export const summary = 'list registered model packages (version, approval, test metrics, lineage) and what is served';
export const usage = 'usage: pricesense models [--state-dir DIR] [--json]';

interface ModelRow {
  group: string;
  version: number;
  arn: string;
  approvalStatus: string;
  createdAt: string;
  execution: string | null;
  trainingJob: string | null;
  dataObject: string | null;
  /** From the model-quality report the registry entry points to. */
  metrics: { accuracy: number; macroF1: number; precision?: ClassMetrics; intervals95?: MetricIntervals } | null;
  servedBy: string[];
}

/** Endpoint states in which the endpoint's config is live and answering (an update keeps the old one live). */
const SERVING = new Set(['InService', 'Updating', 'SystemUpdating', 'RollingBack', 'UpdateRollbackFailed']);

/** The report's accuracy and macro F1 (written by EvaluateModel), or null when it cannot be read. */
async function reportMetrics(aws: LocalAws, reportUri: string | undefined): Promise<ModelRow['metrics']> {
  if (!reportUri) return null;
  try {
    const { bucket, key } = parseS3Uri(reportUri);
    const object = (await aws.call('s3', 'GetObject', { Bucket: bucket, Key: key })) as { Body: { transformToString(): Promise<string> } };
    const report = JSON.parse(await object.Body.transformToString()) as {
      pricesense?: { metrics?: { accuracy?: number; macroF1?: number; precision?: ClassMetrics; intervals95?: MetricIntervals } };
    };
    const metrics = report.pricesense?.metrics;
    if (typeof metrics?.accuracy !== 'number' || typeof metrics.macroF1 !== 'number') return null;
    return { accuracy: metrics.accuracy, macroF1: metrics.macroF1, ...(metrics.precision ? { precision: metrics.precision } : {}), ...(metrics.intervals95 ? { intervals95: metrics.intervals95 } : {}) };
  } catch {
    return null;
  }
}

interface PackageSummary {
  ModelPackageGroupName: string;
  ModelPackageVersion: number;
  ModelPackageArn: string;
  ModelApprovalStatus: string;
  CreationTime: Date | string;
}

/** Every page of a List call (NextToken), the items under `listKey`. */
async function listAll<T>(aws: LocalAws, action: string, input: Record<string, unknown>, listKey: string): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await aws.call('sagemaker', action, { ...input, ...(token ? { NextToken: token } : {}) });
    items.push(...((page[listKey] ?? []) as T[]));
    token = typeof page.NextToken === 'string' ? page.NextToken : undefined;
  } while (token);
  return items;
}

/**
 * What each endpoint serves, keyed by model package ARN and by model data URL: endpoint -> its
 * live endpoint config -> the config's variants' models -> each model's package or artifact.
 */
async function servedModels(aws: LocalAws): Promise<Map<string, string[]>> {
  const served = new Map<string, string[]>();
  const add = (key: unknown, endpoint: string) => {
    if (typeof key === 'string' && key !== '') served.set(key, [...(served.get(key) ?? []).filter((name) => name !== endpoint), endpoint]);
  };
  for (const { EndpointName } of await listAll<{ EndpointName: string }>(aws, 'ListEndpoints', { SortBy: 'Name', SortOrder: 'Ascending' }, 'Endpoints')) {
    const endpoint = (await aws.call('sagemaker', 'DescribeEndpoint', { EndpointName }).catch(() => undefined)) as { EndpointStatus?: string; EndpointConfigName?: string } | undefined;
    if (!endpoint?.EndpointConfigName || !SERVING.has(endpoint.EndpointStatus ?? '')) continue;
    // A config deleted after deployment (or never created, as by deployModelLocally) names no model to match.
    const config = (await aws.call('sagemaker', 'DescribeEndpointConfig', { EndpointConfigName: endpoint.EndpointConfigName }).catch(() => undefined)) as
      | { ProductionVariants?: Array<{ ModelName?: string; InitialVariantWeight?: number }> }
      | undefined;
    // The local endpoint serves its heaviest variant (local/aws/sagemaker/endpoints.ts).
    const heaviest = [...(config?.ProductionVariants ?? [])].sort((a, b) => Number(b.InitialVariantWeight ?? 1) - Number(a.InitialVariantWeight ?? 1))[0];
    for (const variant of heaviest ? [heaviest] : []) {
      if (!variant.ModelName) continue;
      const model = (await aws.call('sagemaker', 'DescribeModel', { ModelName: variant.ModelName }).catch(() => undefined)) as
        | { PrimaryContainer?: { ModelPackageName?: string; ModelDataUrl?: string } }
        | undefined;
      add(model?.PrimaryContainer?.ModelPackageName, `endpoint/${EndpointName}`);
      add(model?.PrimaryContainer?.ModelDataUrl, `endpoint/${EndpointName}`);
    }
  }
  return served;
}

export async function listModels(stateDir: string): Promise<ModelRow[]> {
  const { aws } = await openLocalBackend({ stateDir, routeSdkClients: false });
  const served = await servedModels(aws);
  const groups = await listAll<{ ModelPackageGroupName: string }>(aws, 'ListModelPackageGroups', {}, 'ModelPackageGroupSummaryList');
  const rows: ModelRow[] = [];
  for (const group of groups) {
    const packages = await listAll<PackageSummary>(aws, 'ListModelPackages', { ModelPackageGroupName: group.ModelPackageGroupName }, 'ModelPackageSummaryList');
    for (const summary of packages) {
      const described = (await aws.call('sagemaker', 'DescribeModelPackage', { ModelPackageName: summary.ModelPackageArn })) as {
        CustomerMetadataProperties?: Record<string, string>;
        InferenceSpecification?: { Containers?: Array<{ ModelDataUrl?: string }> };
        ModelMetrics?: { ModelQuality?: { Statistics?: { S3Uri?: string } } };
      };
      const metadata = described.CustomerMetadataProperties ?? {};
      const dataUrl = described.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
      const servedBy = [...(served.get(summary.ModelPackageArn) ?? []), ...(dataUrl ? (served.get(dataUrl) ?? []) : [])];
      rows.push({
        group: summary.ModelPackageGroupName,
        version: summary.ModelPackageVersion,
        arn: summary.ModelPackageArn,
        approvalStatus: summary.ModelApprovalStatus,
        createdAt: new Date(summary.CreationTime).toISOString(),
        // Lineage the workflow's RegisterModel records (workflow/pipeline-definition.ts).
        execution: metadata.executionArn ?? null,
        trainingJob: metadata.trainingJob ?? null,
        dataObject: metadata.dataObject ?? null,
        metrics: await reportMetrics(aws, described.ModelMetrics?.ModelQuality?.Statistics?.S3Uri),
        servedBy: [...new Set(servedBy)],
      });
    }
  }
  return rows;
}

const within = (value: number, interval: readonly [number, number] | undefined) =>
  interval ? `${value.toFixed(3)} [${interval[0].toFixed(3)}, ${interval[1].toFixed(3)}]` : value.toFixed(3);

/** Accuracy, macro F1 and (when the report has them) class precisions, each with its 95 % interval. */
export function qualityText(metrics: NonNullable<ModelRow['metrics']>): string {
  const ci = metrics.intervals95;
  const labels = ['LA', 'MM', 'UM'] as const;
  const precision = metrics.precision ? `  precision ${labels.map((label) => `${label} ${within(metrics.precision![label], ci?.precision[label])}`).join(' ')}` : '';
  return `accuracy ${within(metrics.accuracy, ci?.accuracy)} macro F1 ${within(metrics.macroF1, ci?.macroF1)}${precision}${ci ? ' (95% intervals)' : ''}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { 'state-dir': { type: 'string' }, json: { type: 'boolean', default: false } });
  noPositionals(positionals);
  const models = await listModels(resolveStateDir(values['state-dir']));
  if (values.json) {
    console.log(JSON.stringify({ models }));
    return ExitCode.Succeeded;
  }
  if (models.length === 0) {
    console.log('No registered models yet. `npm run pipeline` registers one when it passes the metric gate.');
    return ExitCode.Succeeded;
  }
  for (const model of models) {
    const served = model.servedBy.length > 0 ? `  served by ${model.servedBy.join(', ')}` : '';
    const quality = model.metrics ? qualityText(model.metrics) : 'metrics unavailable';
    console.log(`${model.group} v${model.version}  ${model.approvalStatus.padEnd(22)} ${model.createdAt}  ${quality}  ${model.trainingJob ?? ''}  ${model.dataObject ?? ''}${served}`);
  }
  return ExitCode.Succeeded;
}
