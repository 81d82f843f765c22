import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLogContext, runWithLogContext } from './log-context.ts';
import { createLogger, serviceLogger } from './logger.ts';
import { captureLogLines } from './testing.ts';

/** A logger writing into memory, and the JSON lines it wrote. */
function capture(level: 'info' | 'debug' = 'info') {
  const { destination, lines } = captureLogLines();
  return { logger: createLogger({ service: 'member', level, destination }), lines };
}

describe('createLogger', () => {
  it('writes JSON lines carrying the service, level name and message', () => {
    const { logger, lines } = capture();
    logger.info({ clubId: 'c1' }, 'club created');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'member', level: 'info', msg: 'club created', clubId: 'c1' });
    expect(typeof lines[0]?.time).toBe('string');
    expect(lines[0]).not.toHaveProperty('tenantId');
    expect(lines[0]).not.toHaveProperty('traceId');
  });

  it('writes `service` once in a service logger of a process running several', () => {
    const { destination, texts } = captureLogLines();
    const root = createLogger({ service: 'clubland', level: 'debug', destination });
    const member = serviceLogger(root, 'member');
    member.debug({ clubId: 'c1' }, 'club created');
    member.child({ part: 'outbox' }).info('published');
    root.info('gateway line');
    expect(texts).toHaveLength(3);
    for (const text of texts) expect(text.match(/"service":/g)).toHaveLength(1);
    expect(texts.map((text) => (JSON.parse(text) as { service: string }).service)).toEqual([
      'member',
      'member',
      'clubland',
    ]);
  });

  it('drops lines below its level', () => {
    const { logger, lines } = capture('info');
    logger.debug('noise');
    logger.warn('heads up');
    expect(lines.map((l) => l.msg)).toEqual(['heads up']);
  });

  it('adds tenantId and correlationId from the log context, across awaits and in children', async () => {
    const { logger, lines } = capture();
    await runWithLogContext({ tenantId: 'club-a', correlationId: 'corr-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.child({ component: 'outbox' }).info('inside');
      runWithLogContext({ correlationId: 'corr-2' }, () => logger.info('nested'));
    });
    logger.info('outside');
    expect(lines[0]).toMatchObject({
      msg: 'inside',
      tenantId: 'club-a',
      correlationId: 'corr-1',
      component: 'outbox',
      service: 'member',
    });
    expect(lines[1]).toMatchObject({ msg: 'nested', tenantId: 'club-a', correlationId: 'corr-2' });
    expect(lines[2]).not.toHaveProperty('tenantId');
    expect(getLogContext()).toEqual({});
  });

  it('redacts passwords, tokens and authorization headers', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'hunter2',
        token: 'tok-123',
        authorization: 'Bearer abc',
        user: { email: 'a@b.c', password: 'hunter3' },
        req: { method: 'POST', headers: { authorization: 'Bearer xyz', host: 'api' } },
      },
      'login',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['hunter2', 'hunter3', 'tok-123', 'Bearer abc', 'Bearer xyz']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      password: '[redacted]',
      user: { email: 'a@b.c' },
      req: { headers: { host: 'api' } },
    });
  });

  it('redacts known-device tokens, in meta and in headers either way', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        meta: { ip: '203.0.113.7', deviceToken: 'device-1' },
        deviceToken: 'device-2',
        req: { headers: { 'clubland-device': 'device-3', cookie: 'clubland_device=device-4' } },
        res: { headers: { 'clubland-device': 'device-5', 'set-cookie': 'clubland_device=device-6' } },
      },
      'sign-in',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['device-1', 'device-2', 'device-3', 'device-4', 'device-5', 'device-6']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ meta: { ip: '203.0.113.7' } });
  });
});

describe('createLogger with an active span', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
  });
  afterAll(() => {
    contextManager.disable();
    context.disable();
  });

  it('adds traceId and spanId of the active span', () => {
    const { logger, lines } = capture();
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => logger.info('traced'));
    logger.info('untraced');
    expect(lines[0]).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
    expect(lines[1]).not.toHaveProperty('traceId');
  });
});
