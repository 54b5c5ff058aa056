/** `pricesense models`: the model packages in the local registry, and which one each endpoint serves. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassMetrics, MetricIntervals } from '../../../workflow/payloads.js';
import { LocalAws } from '../../aws/registry.js';
import { createSageMakerEmulators } from '../../aws/sagemaker/index.js';
import { readEndpointRecord } from '../../aws/sagemaker/endpoints.js';
import { localObjectPath, parseS3Uri } from '../../aws/s3-location.js';
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

/** The report's accuracy and macro F1 (written by EvaluateModel), or null when it cannot be read. */
function reportMetrics(stateDir: string, reportUri: string | undefined): ModelRow['metrics'] {
  if (!reportUri) return null;
  try {
    const { bucket, key } = parseS3Uri(reportUri);
    const report = JSON.parse(readFileSync(localObjectPath(stateDir, bucket, key), 'utf8')) as {
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

function endpointsIn(stateDir: string): string[] {
  try {
    return readdirSync(join(stateDir, 'sagemaker', 'endpoints'))
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length));
  } catch {
    return [];
  }
}

export async function listModels(stateDir: string): Promise<ModelRow[]> {
  const sagemaker = new LocalAws();
  for (const emulator of createSageMakerEmulators({ stateDir })) sagemaker.register(emulator);
  const served = new Map<string, string[]>();
  for (const name of endpointsIn(stateDir)) {
    const live = readEndpointRecord(stateDir, name)?.Live;
    const key = live?.ModelPackageArn ?? live?.ModelDataUrl;
    if (key) served.set(key, [...(served.get(key) ?? []), `endpoint/${name}`]);
  }
  const groups = (await sagemaker.call('sagemaker', 'ListModelPackageGroups', {})) as { ModelPackageGroupSummaryList?: Array<{ ModelPackageGroupName: string }> };
  const rows: ModelRow[] = [];
  for (const group of groups.ModelPackageGroupSummaryList ?? []) {
    const listed = (await sagemaker.call('sagemaker', 'ListModelPackages', { ModelPackageGroupName: group.ModelPackageGroupName })) as {
      ModelPackageSummaryList?: PackageSummary[];
    };
    for (const summary of listed.ModelPackageSummaryList ?? []) {
      const described = (await sagemaker.call('sagemaker', 'DescribeModelPackage', { ModelPackageName: summary.ModelPackageArn })) as {
        CustomerMetadataProperties?: Record<string, string>;
        InferenceSpecification?: { Containers?: Array<{ ModelDataUrl?: string }> };
        ModelMetrics?: { ModelQuality?: { Statistics?: { S3Uri?: string } } };
      };
      const metadata = described.CustomerMetadataProperties ?? {};
      const dataUrl = described.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
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
        metrics: reportMetrics(stateDir, described.ModelMetrics?.ModelQuality?.Statistics?.S3Uri),
        servedBy: [...(served.get(summary.ModelPackageArn) ?? []), ...(dataUrl ? (served.get(dataUrl) ?? []) : [])],
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
