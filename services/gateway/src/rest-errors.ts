import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Errors of the REST routes (`/graphql` has its own, in errors.ts). A 4xx is the client's
 * mistake: Fastify's body and message, said plainly. Anything else is logged once, under the
 * request's correlation id, and answered with that id and no internals: a failing dependency's
 * message (a host name, a SQL fragment) never reaches the caller.
 */
export function registerRestErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
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
    return reply.code(500).send({
      statusCode: 500,
      code: 'INTERNAL_SERVER_ERROR',
      error: 'Internal Server Error',
      message: 'Internal server error',
      correlationId: request.id,
    });
  });
}

function httpReason(status: number): string {
  return STATUS_CODES[status] ?? 'Bad Request';
}
