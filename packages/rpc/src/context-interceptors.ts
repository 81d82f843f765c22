import { getLogContext, runWithLogContext } from '@clubland/log';
import type { Interceptor } from '@connectrpc/connect';

const CORRELATION_HEADER = 'x-correlation-id';
const TENANT_HEADER = 'x-tenant-id';

/** Client side: the caller's correlation and tenant ids travel with every call. */
export function clientContextInterceptor(): Interceptor {
  return (next) => async (request) => {
    const context = getLogContext();
    if (context.correlationId) request.header.set(CORRELATION_HEADER, context.correlationId);
    if (context.tenantId) request.header.set(TENANT_HEADER, context.tenantId);
    return next(request);
  };
}

/** Server side: the handler runs inside the caller's log context, so its log lines carry the
 *  same correlation id as the gateway request that caused them. */
export function serverContextInterceptor(): Interceptor {
  return (next) => async (request) => {
    const correlationId = request.header.get(CORRELATION_HEADER) ?? undefined;
    const tenantId = request.header.get(TENANT_HEADER) ?? undefined;
    // In process the handler already runs in the caller's context: no second one to build.
    const current = getLogContext();
    if (current.correlationId === correlationId && current.tenantId === tenantId) return next(request);
    return runWithLogContext({ correlationId, tenantId }, () => next(request));
  };
}
