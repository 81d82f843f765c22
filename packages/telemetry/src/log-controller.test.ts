import { createLogger } from '@clubland/log';
import { captureLogLines } from '@clubland/log/testing';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorsOnlyLogController, RequestLogController } from './log-controller.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A server on a real socket whose Fastify lines land in `lines`. */
async function serve(logController = new ErrorsOnlyLogController()) {
  const { destination, lines } = captureLogLines();
  app = Fastify({
    loggerInstance: createLogger({ service: 'ops', destination }) as FastifyBaseLogger,
    logController,
    genReqId: () => 'corr-42',
    bodyLimit: 64,
  });
  app.get('/ok', async () => ({ ok: true }));
  app.post('/echo', async (request) => request.body);
  app.get('/broken', async () => {
    throw new Error('the disk is on fire');
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  lines.length = 0; // "Server listening at …": the start, not a request.
  return { url, lines };
}

describe('ErrorsOnlyLogController', () => {
  it('writes no line for requests that succeed, miss a route, or are refused as the client’s fault', async () => {
    const { url, lines } = await serve();
    expect((await fetch(`${url}/ok`)).status).toBe(200);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    const tooLarge = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(200) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(lines).toEqual([]);
  });

  it('logs a 5xx at error level, with the error', async () => {
    const { url, lines } = await serve();
    expect((await fetch(`${url}/broken`)).status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      service: 'ops',
      msg: 'the disk is on fire',
      err: { message: 'the disk is on fire' },
      res: { statusCode: 500 },
    });
  });
});

describe('RequestLogController', () => {
  it('writes one info line per request: method, path without the query, status, time, correlation id', async () => {
    const { url, lines } = await serve(new RequestLogController());
    expect((await fetch(`${url}/ok?token=secret-in-query`)).status).toBe(200);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'ops',
      msg: 'request completed',
      method: 'GET',
      url: '/ok',
      statusCode: 200,
      correlationId: 'corr-42',
    });
    expect(typeof lines[0]?.responseTime).toBe('number');
    expect(lines[1]).toMatchObject({ method: 'GET', url: '/nowhere', statusCode: 404 });
    expect(JSON.stringify(lines)).not.toContain('secret-in-query');
  });

  it('still logs a 5xx with its error, besides its request line', async () => {
    const { url, lines } = await serve(new RequestLogController());
    expect((await fetch(`${url}/broken`)).status).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.map((line) => line.level)).toEqual(['error', 'info']);
    expect(lines[1]).toMatchObject({ url: '/broken', statusCode: 500 });
  });
});
