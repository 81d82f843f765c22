import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing } from './tracing.ts';

interface Received {
  method: string;
  url: string;
  body: string;
}

describe('startTracing', () => {
  // Stands in for an OpenTelemetry collector: records what the exporter posts.
  const received: Received[] = [];
  let collector: Server;
  let endpoint: string;

  beforeAll(async () => {
    collector = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => collector.close(resolve));
  });

  it('is a no-op without an endpoint', async () => {
    const tracing = await startTracing({ serviceName: 'member' });
    expect(tracing.isEnabled).toBe(false);
    await expect(tracing.shutdown()).resolves.toBeUndefined();
    expect(received).toEqual([]);
  });

  it('exports spans to <endpoint>/v1/traces over OTLP/HTTP', async () => {
    const tracing = await startTracing({ endpoint, serviceName: 'member-under-test' });
    expect(tracing.isEnabled).toBe(true);
    trace.getTracer('test').startActiveSpan('check-in visit', (span) => {
      expect(trace.getActiveSpan()?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
      span.end();
    });
    await tracing.shutdown();
    const posts = received.filter((r) => r.method === 'POST' && r.url === '/v1/traces');
    expect(posts.length).toBeGreaterThan(0);
    const body = posts.map((p) => p.body).join('');
    expect(body).toContain('check-in visit');
    expect(body).toContain('member-under-test');
  });
});
