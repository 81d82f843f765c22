import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('@clubland/gateway');

/**
 * A DataLoader batch function inside a span of its own, so a trace shows one span per batch
 * (with its size) rather than one per field. Spans go to whatever tracer provider is registered
 * (the OTLP exporter when configured; a no-op otherwise).
 */
export function tracedBatch<K, V>(
  name: string,
  batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
): (keys: readonly K[]) => Promise<readonly (V | Error)[]> {
  return (keys) =>
    tracer.startActiveSpan(
      `dataloader ${name}`,
      { attributes: { 'clubland.batch.name': name, 'clubland.batch.size': keys.length } },
      async (span) => {
        try {
          return await batch(keys);
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
}
