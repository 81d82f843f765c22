import { STATUS_CODES } from 'node:http';
import { catalogue, isClubError } from '@clubland/errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Errors of plain HTTP routes: the gateway's REST routes (its `/graphql` has its own mapping, in
 * services/gateway/src/errors.ts) and every service's ops server. A 4xx is the client's mistake: Fastify's body and message, said plainly. A catalogued error (a service unavailable,
 * a rate limit) is answered with the catalogue's HTTP status and code, so a load balancer sees a
 * 503 as a 503. Anything else is logged once, under the request's correlation id, and answered
 * with that id and no internals: a failing dependency's message (a host name, a SQL fragment)
 * never reaches the caller.
 */
export function registerRestErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isClubError(error) && error.code !== 'internal') {
      const entry = catalogue[error.code];
      // A dependency's outage is ours to see: logged like an internal failure, answered by its code.
      if (entry.http >= 500) request.log.error({ err: error }, 'a REST route failed on a dependency');
      const retryAfter = error.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return answer(request, reply, entry.http, entry.graphql, error.message);
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({
        statusCode: status,
        code: error.code,
        error: httpReason(status),
        message: error.message,
      });
    }
    request.log.error({ err: error }, 'unexpected error in a REST route');
    return answer(
      request,
      reply,
      catalogue.internal.http,
      catalogue.internal.graphql,
      'Internal server error',
    );
  });
}

/** A failure answered with the catalogue's status and code, and the request's correlation id. */
function answer(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({
    statusCode: status,
    code,
    error: httpReason(status),
    message,
    correlationId: request.id,
  });
}

function httpReason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
