import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createTaskObservability } from '../../../../tasks/core/shared/observability.js';

describe('createTaskObservability', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('writes nothing at all under the local runtime settings (SILENT logs, metrics disabled)', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { logger, metrics } = createTaskObservability('evaluate-model');

    logger.error('an error that must stay silent');
    metrics.addMetric('ModelAccuracy', MetricUnit.NoUnit, 0.8);
    metrics.publishStoredMetrics();
    metrics.publishStoredMetrics(); // empty buffer: Powertools warns through the (silent) logger

    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
  });

  it('emits the metrics as EMF in the Pricesense namespace when enabled', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', '');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const { metrics } = createTaskObservability('evaluate-model');

    metrics.addMetric('ModelAccuracy', MetricUnit.NoUnit, 0.8);
    metrics.publishStoredMetrics();

    const emf = JSON.parse(lines.join(''));
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('Pricesense');
    expect(emf.ModelAccuracy).toBe(0.8);
  });
});
