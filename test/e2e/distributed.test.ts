import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@clubland/bus';
import { createNatsBus } from '@clubland/bus/nats';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrapAdminEnv,
  E2E_ADMIN,
  freePort,
  graphql,
  login,
  type RunningClubland,
  startClubland,
} from './clubland-process.ts';

/**
 * The distributed mode: the member service and the gateway as separate processes, talking gRPC
 * over HTTP/2. On PostgreSQL and NATS when DATABASE_URL and NATS_URL are set (each run on its own
 * database and stream), on PGlite and the in-process bus otherwise.
 */
describe('services run apart: gateway, auth and member over gRPC', () => {
  const suffix = `${process.pid}_${Date.now()}`;
  const nats = process.env.NATS_URL
    ? { NATS_URL: process.env.NATS_URL, NATS_STREAM: `E2E_${suffix}`, NATS_SUBJECT_PREFIX: `e2e_${suffix}` }
    : { NATS_URL: undefined };
  // Its own Redis keys too: the rate limits (registrations per address and IP) outlive a run, and
  // a few runs within their window would otherwise refuse this one's sign-up.
  const redis = { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `e2e_${suffix}:` };
  let testDb: TestDb | undefined;
  let dataDir: string;
  const running: RunningClubland[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-apart-'));
    if (process.env.DATABASE_URL) testDb = await createTestDb();
  });
  afterAll(async () => {
    for (const process of running.reverse()) await process.stop();
    await testDb?.close();
    if (nats.NATS_URL) await deleteStream(nats.NATS_URL, nats.NATS_STREAM);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a club through the gateway, stored and announced by the member service', async () => {
    const rpcPort = await freePort();
    // The member service asks the auth service about accounts (DescribeAccount) when it links or erases.
    const authRpcPort = await freePort();
    // The notification service needs no other service: it starts beside the others, first, so on
    // NATS its durable consumer exists before the events it reads.
    const notificationRpcPort = await freePort();
    const notificationStarting = startClubland(
      {
        ...nats,
        HOST: '127.0.0.1',
        DATABASE_URL: testDb?.url,
        DATABASE_OWNER_URL: testDb?.ownerUrl,
        CLUBLAND_DATA_DIR: join(dataDir, 'notification'),
        NOTIFICATION_RPC_PORT: String(notificationRpcPort),
      },
      { args: ['start', '--service', 'notification'], portVariable: 'NOTIFICATION_HTTP_PORT' },
    ).then((started) => {
      // Stopped by afterAll even if a later start fails.
      running.push(started);
      return started;
    });
    const member = await startClubland(
      {
        ...nats,
        HOST: '127.0.0.1',
        DATABASE_URL: testDb?.url,
        DATABASE_OWNER_URL: testDb?.ownerUrl,
        CLUBLAND_DATA_DIR: dataDir,
        MEMBER_RPC_PORT: String(rpcPort),
        AUTH_SERVICE_URL: `http://127.0.0.1:${authRpcPort}`,
        OUTBOX_POLL_INTERVAL_MS: '100',
      },
      { args: ['start', '--service', 'member'], portVariable: 'MEMBER_HTTP_PORT' },
    );
    running.push(member);
    const auth = await startClubland(
      {
        ...nats,
        HOST: '127.0.0.1',
        DATABASE_URL: testDb?.url,
        DATABASE_OWNER_URL: testDb?.ownerUrl,
        // PGlite belongs to one process: on the embedded default each service has its own data.
        CLUBLAND_DATA_DIR: join(dataDir, 'auth'),
        ...redis,
        MEMBER_SERVICE_URL: `http://127.0.0.1:${rpcPort}`,
        AUTH_RPC_PORT: String(authRpcPort),
        // The auth service creates the first network administrator at start-up.
        ...bootstrapAdminEnv,
      },
      { args: ['start', '--service', 'auth'], portVariable: 'AUTH_HTTP_PORT' },
    );
    running.push(auth);
    // The ledger before the reciprocal service: its consumer of ledger.entry_requested exists
    // before the first fact asks for an entry.
    const ledgerRpcPort = await freePort();
    const ledger = await startClubland(
      {
        ...nats,
        HOST: '127.0.0.1',
        DATABASE_URL: testDb?.url,
        DATABASE_OWNER_URL: testDb?.ownerUrl,
        CLUBLAND_DATA_DIR: join(dataDir, 'ledger'),
        LEDGER_RPC_PORT: String(ledgerRpcPort),
      },
      { args: ['start', '--service', 'ledger'], portVariable: 'LEDGER_HTTP_PORT' },
    );
    running.push(ledger);
    const reciprocalRpcPort = await freePort();
    const reciprocal = await startClubland(
      {
        ...nats,
        HOST: '127.0.0.1',
        DATABASE_URL: testDb?.url,
        DATABASE_OWNER_URL: testDb?.ownerUrl,
        CLUBLAND_DATA_DIR: join(dataDir, 'reciprocal'),
        MEMBER_SERVICE_URL: `http://127.0.0.1:${rpcPort}`,
        RECIPROCAL_RPC_PORT: String(reciprocalRpcPort),
      },
      { args: ['start', '--service', 'reciprocal'], portVariable: 'RECIPROCAL_HTTP_PORT' },
    );
    running.push(reciprocal);
    const clubRpcPort = await freePort();
    const club = await startClubland(
      {
        ...nats,
        HOST: '127.0.0.1',
        DATABASE_URL: testDb?.url,
        DATABASE_OWNER_URL: testDb?.ownerUrl,
        CLUBLAND_DATA_DIR: join(dataDir, 'club'),
        MEMBER_SERVICE_URL: `http://127.0.0.1:${rpcPort}`,
        CLUB_RPC_PORT: String(clubRpcPort),
      },
      { args: ['start', '--service', 'club'], portVariable: 'CLUB_HTTP_PORT' },
    );
    running.push(club);
    const governanceRpcPort = await freePort();
    const governance = await startClubland(
      {
        ...nats,
        HOST: '127.0.0.1',
        DATABASE_URL: testDb?.url,
        DATABASE_OWNER_URL: testDb?.ownerUrl,
        CLUBLAND_DATA_DIR: join(dataDir, 'governance'),
        MEMBER_SERVICE_URL: `http://127.0.0.1:${rpcPort}`,
        GOVERNANCE_RPC_PORT: String(governanceRpcPort),
      },
      { args: ['start', '--service', 'governance'], portVariable: 'GOVERNANCE_HTTP_PORT' },
    );
    running.push(governance);
    const analyticsRpcPort = await freePort();
    const analytics = await startClubland(
      {
        ...nats,
        HOST: '127.0.0.1',
        DATABASE_URL: testDb?.url,
        DATABASE_OWNER_URL: testDb?.ownerUrl,
        CLUBLAND_DATA_DIR: join(dataDir, 'analytics'),
        MEMBER_SERVICE_URL: `http://127.0.0.1:${rpcPort}`,
        ANALYTICS_RPC_PORT: String(analyticsRpcPort),
      },
      { args: ['start', '--service', 'analytics'], portVariable: 'ANALYTICS_HTTP_PORT' },
    );
    running.push(analytics);
    await notificationStarting;
    const gateway = await startClubland(
      {
        HOST: '127.0.0.1',
        ...redis,
        MEMBER_SERVICE_URL: `http://127.0.0.1:${rpcPort}`,
        AUTH_SERVICE_URL: `http://127.0.0.1:${authRpcPort}`,
        RECIPROCAL_SERVICE_URL: `http://127.0.0.1:${reciprocalRpcPort}`,
        LEDGER_SERVICE_URL: `http://127.0.0.1:${ledgerRpcPort}`,
        CLUB_SERVICE_URL: `http://127.0.0.1:${clubRpcPort}`,
        ANALYTICS_SERVICE_URL: `http://127.0.0.1:${analyticsRpcPort}`,
        NOTIFICATION_SERVICE_URL: `http://127.0.0.1:${notificationRpcPort}`,
        GOVERNANCE_SERVICE_URL: `http://127.0.0.1:${governanceRpcPort}`,
      },
      { args: ['start', '--service', 'gateway'] },
    );
    running.push(gateway);

    const events: EventEnvelope[] = [];
    const bus = nats.NATS_URL
      ? await createNatsBus({
          url: nats.NATS_URL,
          stream: nats.NATS_STREAM,
          subjectPrefix: nats.NATS_SUBJECT_PREFIX,
        })
      : undefined;
    await bus?.subscribe({
      consumer: 'e2e-observer',
      types: ['club.created'],
      handler: async (event) => {
        events.push(event);
      },
    });

    const adminToken = await login(gateway.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const created = await graphql<{ createClub: { id: string } }>(
      gateway.url,
      'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
      { input: { name: 'Athenaeum', slug: 'athenaeum', location: 'London' } },
      adminToken,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createClub.id;
    const read = await graphql<{ club: { slug: string } }>(
      gateway.url,
      'query($id: ID!) { club(id: $id) { slug } }',
      {
        id,
      },
    );
    expect(read.data?.club.slug).toBe('athenaeum');

    // A member signs up (gateway -> auth -> member over gRPC) and the gateway knows them.
    const registered = await graphql<{ register: { token: string } }>(
      gateway.url,
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      {
        input: {
          email: 'ada@example.org',
          password: 'correct horse battery staple',
          clubId: id,
          firstName: 'Ada',
          lastName: 'Lovelace',
        },
      },
    );
    expect(registered.errors).toBeUndefined();
    const me = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${registered.data!.register.token}`,
      },
      body: JSON.stringify({ query: '{ me { id email clubId roles } }' }),
    });
    // Signed in, with no MEMBER grant in force until the email is verified and the club accepts her.
    const meAnswer = (await me.json()) as { data: { me: { id: string } } };
    expect(meAnswer).toEqual({
      data: { me: { id: expect.any(String), email: 'ada@example.org', clubId: id, roles: [] } },
    });
    // The network administrator makes her staff of the club (auth, over gRPC): user.role_granted.
    const granted = await graphql(
      gateway.url,
      'mutation($userId: ID!, $clubId: ID) { grantRole(userId: $userId, role: "STAFF", clubId: $clubId) { id } }',
      { userId: meAnswer.data.me.id, clubId: id },
      adminToken,
    );
    expect(granted.errors).toBeUndefined();
    // A token issued before the grant is outdated (TOKEN_OUTDATED): she signs in again.
    const adaToken = await login(gateway.url, 'ada@example.org', 'correct horse battery staple');
    // Her inbox, from the notification service's own process: on NATS it hears user.role_granted
    // and tells her of the new role; on the in-process bus each process has its own bus, so it
    // stays empty. (Registration itself is told by auth's verification mail, not a notice.)
    const inbox = async () =>
      (
        await graphql<{ unreadNotificationCount: number }>(
          gateway.url,
          '{ unreadNotificationCount }',
          {},
          adaToken,
        )
      ).data?.unreadNotificationCount;
    if (nats.NATS_URL) {
      const until = Date.now() + 10_000;
      while ((await inbox()) !== 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(await inbox()).toBe(1);
    } else {
      expect(await inbox()).toBe(0);
    }

    // The network's proposals, from the governance service's own process (gateway -> governance
    // over gRPC, governance -> member for nothing here): none yet, and a member of the network may read them.
    const proposals = await graphql<{ proposals: { pageInfo: { total: number } } }>(
      gateway.url,
      '{ proposals { pageInfo { total } } }',
      {},
      adaToken,
    );
    expect(proposals).toEqual({ data: { proposals: { pageInfo: { total: 0 } } } });
    // The analytics service answers the network administrator over gRPC, and refuses staff (FORBIDDEN).
    const ANALYTICS = '{ analytics { members { totalMembers } reciprocals { totalAgreements } } }';
    const report = await graphql<{ analytics: unknown }>(gateway.url, ANALYTICS, {}, adminToken);
    expect(report).toEqual({
      data: {
        analytics: { members: { totalMembers: expect.any(Number) }, reciprocals: { totalAgreements: 0 } },
      },
    });
    const refused = await graphql(gateway.url, ANALYTICS, {}, adaToken);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });

    // Errors keep their codes across the process boundary.
    const taken = await graphql(
      gateway.url,
      'mutation { createClub(input: {name: "X", slug: "athenaeum"}) { id } }',
      {},
      adminToken,
    );
    // Issue 9: a taken slug is BAD_USER_INPUT naming the field (was CONFLICT).
    expect(taken.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'slug' });

    if (bus) {
      const deadline = Date.now() + 10_000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(events.map((e) => [e.type, e.tenantId])).toEqual([['club.created', id]]);
      await bus.close();
    }

    // The gateway is ready only while the member service answers.
    expect(await member.stop()).toBe(0);
    running.splice(running.indexOf(member), 1);
    const ready = await fetch(`${gateway.url}/ready`);
    expect(ready.status).toBe(503);
  });
});

async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}
