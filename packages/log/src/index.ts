export type { Logger } from 'pino';
export { createEvery } from './every.ts';
export { getLogContext, type LogContext, runWithLogContext } from './log-context.ts';
export { createLogger, type LoggerOptions, type LogLevel, redactedPaths, serviceLogger } from './logger.ts';
