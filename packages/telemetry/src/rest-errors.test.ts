import { ClubError } from '@clubland/errors';
import { createLogger } from '@clubland/log';
import { captureLogLines } from '@clubland/log/testing';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorsOnlyLogController } from './log-controller.ts';
import { registerRestErrorHandler } from './rest-errors.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An ops-style server whose routes fail in each way a route can. */
async function serve() {
  const { destination, lines } = captureLogLines();
  app = Fastify({
    loggerInstance: createLogger({ service: 'ops', destination }) as FastifyBaseLogger,
    logController: new ErrorsOnlyLogController(),
    genReqId: (request) => String(request.headers['x-request-id'] ?? 'generated'),
    bodyLimit: 64,
  });
  registerRestErrorHandler(app);
  app.get('/broken', async () => {
    throw new Error('relation "auth.signing_keys" does not exist (SELECT kid FROM auth.signing_keys)');
  });
  app.get('/internal', async () => {
    throw new ClubError('internal', 'the ledger peer at 10.0.3.7 hung up');
  });
  app.get('/down', async () => {
    throw new ClubError('dependency.unavailable', 'a service is unavailable');
  });
  app.get('/limited', async () => {
    throw new ClubError('request.rate_limited', 'Too many requests; retry later', { retryAfterSeconds: 7 });
  });
  app.post('/echo', async (request) => request.body);
  await app.ready();
  return { app, lines };
}

describe('registerRestErrorHandler', () => {
  it('answers an unexpected failure 500 with the correlation id only, and logs the cause once', async () => {
    const { app, lines } = await serve();
    for (const url of ['/broken', '/internal']) {
      const response = await app.inject({ url, headers: { 'x-request-id': `req${url}` } });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        statusCode: 500,
        code: 'INTERNAL_SERVER_ERROR',
        error: 'Internal Server Error',
        message: 'Internal server error',
        correlationId: `req${url}`,
      });
      expect(response.body).not.toMatch(/signing_keys|SELECT|10\.0\.3\.7/);
    }
    const errors = lines.filter((line) => line.level === 'error');
    expect(errors.map((line) => [line.msg, (line.err as { message: string }).message])).toEqual([
      ['unexpected error in a REST route', expect.stringContaining('does not exist')],
      ['unexpected error in a REST route', 'the ledger peer at 10.0.3.7 hung up'],
    ]);
  });

  it('answers a catalogued failure with its status and code: 503 for an outage, 429 with retry-after', async () => {
    const { app, lines } = await serve();
    const down = await app.inject({ url: '/down', headers: { 'x-request-id': 'req-down' } });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      error: 'Service Unavailable',
      message: 'a service is unavailable',
      correlationId: 'req-down',
    });
    const limited = await app.inject('/limited');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', statusCode: 429 });
    // The outage is ours to see; the client's rate limit is not an error line.
    expect(lines.filter((line) => line.level === 'error').map((line) => line.msg)).toEqual([
      'a REST route failed on a dependency',
    ]);
  });

  it("answers the client's own mistake with Fastify's plain 4xx body and logs nothing", async () => {
    const { app, lines } = await serve();
    const tooLarge = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ padding: 'x'.repeat(200) }),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toEqual({
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      error: 'Payload Too Large',
      message: 'Request body is too large',
    });
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
