/**
 * Logger, metrics and tracer of one task Lambda, created once at module level (Powertools style).
 * Locally the runtime sets POWERTOOLS_LOG_LEVEL=SILENT and POWERTOOLS_METRICS_DISABLED=true; the
 * metrics instance logs its own warnings through the same logger, so SILENT silences those too.
 * The tracer only records on Lambda (Powertools disables it elsewhere).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS_NAMESPACE, TaskEnv } from '../../../workflow/task-environment.js';
import type { TaskFunction } from '../../../workflow/resource-names.js';

export interface TaskObservability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

export function createTaskObservability(serviceName: TaskFunction): TaskObservability {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({
    serviceName,
    namespace: process.env[TaskEnv.MetricsNamespace] || METRICS_NAMESPACE,
    logger,
  });
  const tracer = new Tracer({ serviceName });
  return { logger, metrics, tracer };
}
