/**
 * Local CloudWatch metrics: PutMetricData appends one JSON line per datum to
 * `<stateDir>/cloudwatch/metrics.jsonl`, which dashboards and tests read back.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from './emulator.js';

export interface MetricRecord {
  Namespace: string;
  MetricName: string;
  Dimensions: Array<{ Name: string; Value: string }>;
  Timestamp: string;
  Unit?: string;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: Record<string, number>;
}

export function metricsPath(stateDir: string): string {
  return join(stateDir, 'cloudwatch', 'metrics.jsonl');
}

export class CloudWatchEmulator implements AwsServiceEmulator {
  readonly service = 'cloudwatch';
  readonly actions = ['PutMetricData'] as const;

  constructor(private readonly stateDir: string) {}

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action !== 'PutMetricData') throw unsupportedAction(this.service, action, this.actions);
    const namespace = input.Namespace;
    if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 255) {
      throw new AwsServiceError('InvalidParameterValue', `The parameter Namespace must be 1-255 characters, got ${JSON.stringify(namespace)}`);
    }
    if (namespace.startsWith('AWS/')) {
      throw new AwsServiceError('InvalidParameterValue', `The value ${namespace} for parameter Namespace is invalid: the AWS/ prefix is reserved`);
    }
    const data = input.MetricData;
    if (!Array.isArray(data) || data.length === 0 || data.length > 1000) {
      throw new AwsServiceError('InvalidParameterValue', `MetricData must hold 1-1000 datums, got ${Array.isArray(data) ? data.length : JSON.stringify(data)}`);
    }
    const lines = data.map((datum: Record<string, unknown>, index) => {
      if (typeof datum.MetricName !== 'string' || datum.MetricName.length === 0) {
        throw new AwsServiceError('InvalidParameterValue', `MetricData.member.${index + 1}.MetricName is required`);
      }
      const hasValue = typeof datum.Value === 'number';
      if (hasValue && !Number.isFinite(datum.Value)) {
        throw new AwsServiceError('InvalidParameterValue', `MetricData.member.${index + 1}.Value must be a finite number, got ${String(datum.Value)}`);
      }
      if (!hasValue && !Array.isArray(datum.Values) && !datum.StatisticValues) {
        throw new AwsServiceError('MissingParameter', `MetricData.member.${index + 1} needs Value, Values or StatisticValues`);
      }
      const record: MetricRecord = {
        Namespace: namespace,
        MetricName: datum.MetricName,
        Dimensions: Array.isArray(datum.Dimensions) ? (datum.Dimensions as MetricRecord['Dimensions']) : [],
        Timestamp: new Date((datum.Timestamp as string | number | Date | undefined) ?? Date.now()).toISOString(),
      };
      if (typeof datum.Unit === 'string') record.Unit = datum.Unit;
      if (hasValue) record.Value = datum.Value as number;
      if (Array.isArray(datum.Values)) record.Values = datum.Values as number[];
      if (Array.isArray(datum.Counts)) record.Counts = datum.Counts as number[];
      if (datum.StatisticValues) record.StatisticValues = datum.StatisticValues as Record<string, number>;
      return JSON.stringify(record);
    });
    await mkdir(join(this.stateDir, 'cloudwatch'), { recursive: true });
    await appendFile(metricsPath(this.stateDir), `${lines.join('\n')}\n`);
    return {};
  }

  async readMetrics(): Promise<MetricRecord[]> {
    const text = await readFile(metricsPath(this.stateDir), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as MetricRecord);
  }
}
