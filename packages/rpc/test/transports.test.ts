import { ClubRegistryService, ClubStatus } from '@clubland/contract/member/v1';
import { ClubError } from '@clubland/errors';
import { getLogContext, runWithLogContext } from '@clubland/log';
import type { ConnectRouter, Transport } from '@connectrpc/connect';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createInMemoryTransport,
  createLoopbackTransport,
  createRemoteTransport,
  createRpcClient,
  type RpcServer,
  startRpcServer,
} from '../src/index.ts';

// One contract for every transport: what a handler returns, throws and sees arrives the same
// whether the call stayed in the process (with or without protobuf bytes) or crossed HTTP/2.

const logged: Record<string, unknown>[] = [];
const log = { error: (fields: Record<string, unknown>) => void logged.push(fields) };
const seen: { correlationId?: string; tenantId?: string }[] = [];
const reached: string[] = [];

function register(router: ConnectRouter) {
  router.service(ClubRegistryService, {
    async getClub(request, context) {
      seen.push({ ...getLogContext() });
      reached.push(request.id);
      // The handler is told how long its caller will wait.
      if (request.id === 'time-left')
        return { club: { id: request.id, name: String(context.timeoutMs() ?? 'none') } };
      if (request.id === 'missing')
        throw new ClubError('club.not_found', 'club missing was not found', { id: 'missing' });
      if (request.id === 'broken') throw new Error('connection string postgres://secret@db leaked');
      if (request.id === 'slow') await new Promise((resolve) => setTimeout(resolve, 500));
      if (request.id === 'with-metadata') {
        context.responseHeader.set('x-served-by', 'registry-1');
        context.responseTrailer.set('x-rows-read', '1');
      }
      // A partial answer: the transport fills in the defaults of what the handler left out.
      return { club: { id: request.id, name: 'Harbour Club', status: ClubStatus.ACTIVE } };
    },
  });
}

const servers: RpcServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

const transports: [string, () => Promise<Transport>][] = [
  ['in-memory (in-process)', async () => createInMemoryTransport(register, log)],
  ['loopback (protobuf bytes)', async () => createLoopbackTransport(register, log)],
  [
    'remote (gRPC over HTTP/2)',
    async () => {
      const server = await startRpcServer({ register, host: '127.0.0.1', port: 0, log });
      servers.push(server);
      return createRemoteTransport(`http://127.0.0.1:${server.port}`);
    },
  ],
];

describe.each(transports)('%s transport', (name, makeTransport) => {
  it('returns the handler answer as a complete message, defaults filled in', async () => {
    const client = createRpcClient(ClubRegistryService, await makeTransport());
    const { club } = await client.getClub({ id: 'c-1' });
    expect(club).toMatchObject({ id: 'c-1', name: 'Harbour Club', slug: '', status: ClubStatus.ACTIVE });
  });

  it('carries a ClubError across as the same code, message and details', async () => {
    const client = createRpcClient(ClubRegistryService, await makeTransport());
    const error = await client.getClub({ id: 'missing' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClubError);
    expect(error).toMatchObject({
      code: 'club.not_found',
      message: 'club missing was not found',
      details: { id: 'missing' },
    });
  });

  it('turns any other failure into a bare internal error, logged where it happened', async () => {
    const client = createRpcClient(ClubRegistryService, await makeTransport());
    const before = logged.length;
    const error = await client.getClub({ id: 'broken' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClubError);
    expect((error as ClubError).code).toBe('internal');
    expect((error as ClubError).message).not.toContain('secret');
    expect(logged.length).toBe(before + 1);
  });

  it("hands the handler's response header and trailer to the caller", async () => {
    const client = createRpcClient(ClubRegistryService, await makeTransport());
    const received: { header?: string | null; trailer?: string | null } = {};
    await client.getClub(
      { id: 'with-metadata' },
      {
        onHeader: (header) => {
          received.header = header.get('x-served-by');
        },
        onTrailer: (trailer) => {
          received.trailer = trailer.get('x-rows-read');
        },
      },
    );
    expect(received).toEqual({ header: 'registry-1', trailer: '1' });
  });

  it("runs the handler in the caller's correlation and tenant context", async () => {
    const client = createRpcClient(ClubRegistryService, await makeTransport());
    seen.length = 0;
    await runWithLogContext({ correlationId: 'req-42', tenantId: 'club-7' }, () =>
      client.getClub({ id: 'c-2' }),
    );
    expect(seen).toEqual([expect.objectContaining({ correlationId: 'req-42', tenantId: 'club-7' })]);
  });

  it('tells the handler the time left before the deadline, and none without one', async () => {
    const client = createRpcClient(ClubRegistryService, await makeTransport());
    const timed = await client.getClub({ id: 'time-left' }, { timeoutMs: 5000 });
    expect(Number(timed.club?.name)).toBeGreaterThan(4000);
    expect(Number(timed.club?.name)).toBeLessThanOrEqual(5000);
    expect((await client.getClub({ id: 'time-left' })).club?.name).toBe('none');
  });

  // Connect's router transport (loopback, test harnesses only) does start it; the two we run on do not.
  it.skipIf(name.startsWith('loopback'))(
    'does not run the handler of a call cancelled before it started',
    async () => {
      const client = createRpcClient(ClubRegistryService, await makeTransport());
      const cancelled = new AbortController();
      cancelled.abort();
      const id = `cancelled-${Math.random()}`;
      const error = await client
        .getClub({ id }, { signal: cancelled.signal })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ClubError);
      expect(reached).not.toContain(id);
    },
  );

  it('gives up at the deadline', async () => {
    const client = createRpcClient(ClubRegistryService, await makeTransport());
    const started = Date.now();
    const error = await client.getClub({ id: 'slow' }, { timeoutMs: 50 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClubError);
    expect((error as ClubError).code).toBe('dependency.unavailable');
    expect(Date.now() - started).toBeLessThan(400);
  });
});
