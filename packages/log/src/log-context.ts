import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line inside a request or an event handler should carry. */
export interface LogContext {
  tenantId?: string;
  correlationId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with the given fields added to the current log context (inner values win). */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

export function getLogContext(): LogContext {
  return storage.getStore() ?? {};
}
