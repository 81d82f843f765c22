import { hostname } from 'node:os';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import { getLogContext } from './log-context.ts';

export type LogLevel = Level | 'silent';

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

/** Keys that must never reach a log line, at the top level and one object down. */
export const redactedPaths = [
  'password',
  'token',
  'authorization',
  '*.password',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  // A sign-in's known-device token: whoever holds it is throttled as the account's own device.
  'deviceToken',
  '*.deviceToken',
  'req.headers["clubland-device"]',
  'res.headers["clubland-device"]',
  'res.headers["set-cookie"]',
];

/**
 * The JSON logger of every service. Each line carries `service`, and when present the
 * `tenantId`/`correlationId` of the log context and the `traceId`/`spanId` of the active span.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not numbers, so log search reads `level:"error"`.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      mixin: contextFields,
    },
    options.destination,
  );
}

function contextFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const { tenantId, correlationId } = getLogContext();
  if (tenantId !== undefined) fields.tenantId = tenantId;
  if (correlationId !== undefined) fields.correlationId = correlationId;
  // With tracing off the API's no-op context manager answers undefined at once: no cost to speak of.
  const span = trace.getActiveSpan();
  if (span !== undefined) {
    const spanContext = span.spanContext();
    if (isSpanContextValid(spanContext)) {
      fields.traceId = spanContext.traceId;
      fields.spanId = spanContext.spanId;
    }
  }
  return fields;
}
