import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const httpLabels = ['method', 'route', 'status_code'] as const;
type HttpLabel = (typeof httpLabels)[number];

/** One service's metrics. Business counters go on `registry` (`new Counter({ ..., registers: [registry] })`). */
export interface Metrics {
  registry: Registry;
  httpRequestsTotal: Counter<HttpLabel>;
  httpRequestDuration: Histogram<HttpLabel>;
}

export interface MetricsOptions {
  service: string;
}

/** Seconds; from a cache hit (5 ms) to a slow report (10 s). */
export const httpDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A registry per service rather than prom-client's global one, so all-in-one mode can hold every
 * service's metrics in one process without name clashes, each labelled with its `service`.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequestsTotal: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: httpLabels,
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency in seconds, by method, route pattern and status code',
      labelNames: httpLabels,
      buckets: httpDurationBuckets,
      registers: [registry],
    }),
  };
}
