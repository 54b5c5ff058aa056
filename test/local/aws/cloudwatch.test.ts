import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloudWatchEmulator } from '../../../local/aws/cloudwatch.js';

describe('CloudWatchEmulator PutMetricData', () => {
  it('writes one JSON line per datum', async () => {
    const cw = new CloudWatchEmulator(mkdtempSync(join(tmpdir(), 'cw-test-')));
    await cw.call('PutMetricData', {
      Namespace: 'Pricesense',
      MetricData: [
        { MetricName: 'RecordsIngested', Value: 42, Unit: 'Count', Timestamp: new Date('2024-01-01T00:00:00Z'), Dimensions: [{ Name: 'service', Value: 'ingest' }] },
        { MetricName: 'Latency', Values: [1, 2], Counts: [3, 4], Unit: 'Milliseconds', Timestamp: new Date('2024-01-01T00:00:00Z') },
      ],
    });
    expect(await cw.readMetrics()).toEqual([
      { Namespace: 'Pricesense', MetricName: 'RecordsIngested', Value: 42, Unit: 'Count', Timestamp: '2024-01-01T00:00:00.000Z', Dimensions: [{ Name: 'service', Value: 'ingest' }] },
      { Namespace: 'Pricesense', MetricName: 'Latency', Values: [1, 2], Counts: [3, 4], Unit: 'Milliseconds', Timestamp: '2024-01-01T00:00:00.000Z', Dimensions: [] },
    ]);
  });

  it('rejects the reserved AWS/ namespace', async () => {
    const cw = new CloudWatchEmulator(mkdtempSync(join(tmpdir(), 'cw-test-')));
    await expect(cw.call('PutMetricData', { Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'x', Value: 1 }] })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});
