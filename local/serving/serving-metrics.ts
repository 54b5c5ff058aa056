/**
 * The `/metrics` page of `pricesense serve` in the Prometheus text format (0.0.4): requests by
 * route and status, a latency histogram per route, the served model version, and the inference
 * log's write-behind counters. Counters live in typed arrays keyed by small integers, so
 * recording a request allocates nothing.
 */

/** Upper bounds in seconds: fine where the 10 ms goal is, coarse above. */
export const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

export const ROUTES = ['/predict', '/invocations', '/ping', '/metrics', 'other'] as const;
export type MetricRoute = (typeof ROUTES)[number];

class RouteSeries {
  readonly byStatus = new Map<number, number>();
  readonly buckets = new Float64Array(LATENCY_BUCKETS_SECONDS.length);
  count = 0;
  sum = 0;
}

export class ServingMetrics {
  private readonly series = new Map<MetricRoute, RouteSeries>(ROUTES.map((route) => [route, new RouteSeries()]));
  private modelVersion: string | undefined;
  private modelSwaps = 0;
  private extra: () => Record<string, number> = () => ({});

  observe(route: MetricRoute, status: number, seconds: number): void {
    const series = this.series.get(route)!;
    series.byStatus.set(status, (series.byStatus.get(status) ?? 0) + 1);
    series.count += 1;
    series.sum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
      if (seconds <= LATENCY_BUCKETS_SECONDS[i]!) {
        series.buckets[i] = series.buckets[i]! + 1;
        break;
      }
    }
  }

  setModelVersion(version: string | undefined): void {
    if (version !== this.modelVersion && version !== undefined) this.modelSwaps += 1;
    this.modelVersion = version;
  }

  /** Extra gauges/counters read at scrape time (name -> value). */
  setExtra(read: () => Record<string, number>): void {
    this.extra = read;
  }

  render(): string {
    const lines: string[] = [];
    lines.push('# HELP pricesense_http_requests_total HTTP requests answered, by route and status code.');
    lines.push('# TYPE pricesense_http_requests_total counter');
    for (const [route, series] of this.series) {
      for (const status of [...series.byStatus.keys()].sort((a, b) => a - b)) lines.push(`pricesense_http_requests_total{route="${route}",status="${status}"} ${series.byStatus.get(status) ?? 0}`);
    }
    lines.push('# HELP pricesense_http_request_duration_seconds Time from request to response, by route.');
    lines.push('# TYPE pricesense_http_request_duration_seconds histogram');
    for (const [route, series] of this.series) {
      if (series.count === 0 && route !== '/predict') continue;
      let cumulative = 0;
      LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
        cumulative += series.buckets[i]!;
        lines.push(`pricesense_http_request_duration_seconds_bucket{route="${route}",le="${bound}"} ${cumulative}`);
      });
      lines.push(`pricesense_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${series.count}`);
      lines.push(`pricesense_http_request_duration_seconds_sum{route="${route}"} ${series.sum}`);
      lines.push(`pricesense_http_request_duration_seconds_count{route="${route}"} ${series.count}`);
    }
    lines.push('# HELP pricesense_model_info The model version the endpoint serves (value 1).');
    lines.push('# TYPE pricesense_model_info gauge');
    if (this.modelVersion !== undefined) lines.push(`pricesense_model_info{version="${escapeLabel(this.modelVersion)}"} 1`);
    lines.push('# HELP pricesense_model_swaps_total Models loaded since the server started (rollouts followed).');
    lines.push('# TYPE pricesense_model_swaps_total counter');
    lines.push(`pricesense_model_swaps_total ${this.modelSwaps}`);
    for (const [name, value] of Object.entries(this.extra())) {
      lines.push(`# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}`);
      lines.push(`${name} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}
