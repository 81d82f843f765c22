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
