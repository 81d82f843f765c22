import { createLogger } from '@clubland/log';
import { captureLogLines } from '@clubland/log/testing';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorsOnlyLogController } from './log-controller.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A server on a real socket whose Fastify lines land in `lines`. */
async function serve() {
  const { destination, lines } = captureLogLines();
  app = Fastify({
    loggerInstance: createLogger({ service: 'ops', destination }) as FastifyBaseLogger,
    logController: new ErrorsOnlyLogController(),
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
