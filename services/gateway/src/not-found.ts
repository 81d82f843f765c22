import type { FastifyInstance } from 'fastify';

/**
 * 404 naming the method and path only. Fastify's own says `Route GET:/verify-email?token=… not
 * found`: it repeats the query string, and a query string can carry a secret (an emailed link's
 * token opened against the wrong host or path), which then sits in the body, a proxy's cache or a
 * screenshot. The body has the shape of every other REST error (packages/telemetry rest-errors).
 */
export function registerNotFoundHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const query = request.url.indexOf('?');
    const path = query === -1 ? request.url : request.url.slice(0, query);
    return reply.code(404).send({
      statusCode: 404,
      code: 'NOT_FOUND',
      error: 'Not Found',
      message: `Route ${request.method} ${path} not found`,
      correlationId: request.id,
    });
  });
}
