import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's own log lines without the per-request ones: no "incoming request", no "request
 * completed", no "route not found" (request metrics count those, and at thousands of requests a
 * second they would be most of the log). What stays is what an operator has to see: a request
 * that failed with a 5xx, a response stream that broke, a serializer that threw.
 *
 * Fastify's `disableRequestLogging: true` would silence those too.
 */
export class ErrorsOnlyLogController extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) super.requestCompleted(error, request, reply);
  }

  /** A 4xx is the client's mistake and is answered as such; only a 5xx is logged. */
  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
  }
}

/**
 * One line per request, at `info` (`error` when the response itself failed), written when the
 * response has finished: method, path (the query string never: it can carry tokens), status,
 * response time in milliseconds and correlation id. What operators expect of Fastify, without
 * its two lines per request and the whole request and reply objects in them. No hook and no child
 * logger: Fastify calls this once per response anyway.
 */
export class RequestLogController extends ErrorsOnlyLogController {
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const url = request.url;
    const queryAt = url.indexOf('?');
    const line = {
      method: request.method,
      url: queryAt === -1 ? url : url.slice(0, queryAt),
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
      correlationId: request.id,
    };
    if (error) request.log.error({ ...line, err: error }, 'request errored');
    else request.log.info(line, 'request completed');
  }
}
