export interface TracingOptions {
  /** OTLP/HTTP collector base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); unset = tracing off. */
  endpoint?: string;
  serviceName: string;
}

export interface Tracing {
  readonly isEnabled: boolean;
  /** Flushes spans still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK exporting spans to `${endpoint}/v1/traces`. The SDK is imported only
 * when an endpoint is set, so a process without tracing never loads it. Metrics stay with
 * Prometheus and logs with pino: the SDK's own metric and log exporters are switched off.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (options.endpoint === undefined || options.endpoint === '') {
    return { isEnabled: false, shutdown: async () => {} };
  }
  const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  const base = options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`;
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    traceExporter: new OTLPTraceExporter({ url: new URL('v1/traces', base).href }),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return { isEnabled: true, shutdown: () => sdk.shutdown() };
}
