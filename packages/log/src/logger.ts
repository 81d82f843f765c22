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
  const root = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not numbers, so log search reads `level:"error"`.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      mixin: contextFields,
    },
    options.destination,
  );
  const logger = root.child({ service: options.service });
  roots.set(logger, root);
  return logger;
}

/**
 * Loggers made by createLogger, and the root each was made from (the same one without `service`).
 * pino appends a child's bindings to its parent's, so `log.child({ service })` would write the key
 * twice; serviceLogger starts from the root instead.
 */
const roots = new WeakMap<Logger, Logger>();

/**
 * The logger of one service inside a process that runs several (the all-in-one `clubland start`):
 * `logger`'s lines, their `service` replaced by `service`, once. Level as `logger`'s now.
 */
export function serviceLogger(logger: Logger, service: string): Logger {
  const root = roots.get(logger);
  if (root === undefined) {
    throw new Error('serviceLogger needs a logger made by createLogger (a child would repeat `service`)');
  }
  const child = root.child({ service });
  child.level = logger.level;
  return child;
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
