/**
 * One announcement to a club of 10,000 members, in the app and by email, end to end on PostgreSQL
 * and NATS JetStream: from the club admin's sendBulkNotifications (the RPC the gateway calls) until
 * every in-app notification is stored, every notification.created has come back over NATS (what
 * the gateway pushes as notificationReceived), and every email has been accepted by an SMTP sink
 * (smtp-server, started by the bench in a process of its own, on loopback). Target: < 10 s.
 *
 *   DATABASE_OWNER_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *   DATABASE_URL=postgres://clubland_login@127.0.0.1:5432/postgres \
 *   NATS_URL=nats://127.0.0.1:4222 node bench/notification-fanout.ts [members=10000] [smtpConnections=20]
 *
 * A fresh database and a temporary JetStream stream of its own, both removed afterwards. The
 * service's read model of the club (10,000 recipients with addresses, their member records) is
 * written straight into its tables first, as the member and auth services' events would have left
 * it; the send itself goes through the service as in production: the RPC, the service's
 * transactions, its outbox relay onto NATS, its delivery loop through the SMTP channel
 * (nodemailer's pool, as SMTP_URL configures it).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Bus } from '@clubland/bus';
import { createNatsBus } from '@clubland/bus/nats';
import { NotificationService } from '@clubland/contract/notification/v1';
import { createPostgresDb, ensureAppLogin, migrate } from '@clubland/db';
import { createChannelSenders, createNotificationService } from '@clubland/notification-service';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import pino from 'pino';
import { freshDatabase } from './lib/database.ts';
import { forkSmtpSink } from './lib/smtp-sink.ts';

const MEMBERS = Number(process.argv[2] ?? 10_000);
const SMTP_CONNECTIONS = Number(process.argv[3] ?? 20);
const TARGET_MS = 10_000;
// The delivery loop's settings (services/notification/src/app/delivery-loop.ts); the service's
// defaults unless BENCH_DELIVERY_CONCURRENCY / BENCH_DELIVERY_BATCH say otherwise.
const delivery = {
  ...(process.env.BENCH_DELIVERY_CONCURRENCY
    ? { concurrency: Number(process.env.BENCH_DELIVERY_CONCURRENCY) }
    : {}),
  ...(process.env.BENCH_DELIVERY_BATCH ? { batchSize: Number(process.env.BENCH_DELIVERY_BATCH) } : {}),
};
const appServer = process.env.DATABASE_URL;
const natsUrl = process.env.NATS_URL;
if (!appServer || !natsUrl) {
  console.error(
    'notification-fanout runs on PostgreSQL and NATS: set DATABASE_URL (and DATABASE_OWNER_URL) and NATS_URL',
  );
  process.exit(2);
}

/** The SMTP sink, in a process of its own (bench/lib/smtp-sink.ts), as SMTP_URL would reach it. */
async function startSink(expected: number) {
  const sink = await forkSmtpSink(expected);
  return { ...sink, url: `smtp://127.0.0.1:${sink.port}?maxConnections=${SMTP_CONNECTIONS}` };
}

/** The read model the service keeps from member and auth events: recipients and their member records. */
async function seedClub(ownerUrl: string, clubId: string, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ user_id: string }>(
      `INSERT INTO notification.recipients (user_id, home_club_id, email, first_name, last_name, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'member' || n || '@bench.example', 'Member', 'No. ' || n, now()
       FROM generate_series(1, $2::int) AS n
       RETURNING user_id`,
      [clubId, count],
    );
    const userIds = rows.map((row) => row.user_id);
    await client.query(
      `INSERT INTO notification.club_members (member_id, club_id, user_id, status, updated_at)
       SELECT gen_random_uuid(), $1::uuid, user_id, 'ACTIVE', now() FROM unnest($2::uuid[]) AS user_id`,
      [clubId, userIds],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return userIds;
  } finally {
    await client.end();
  }
}

async function run() {
  const database = await freshDatabase(appServer!, process.env.DATABASE_OWNER_URL ?? appServer);
  const token = randomBytes(4).toString('hex');
  const stream = `BENCH_${token}`;
  const sink = await startSink(MEMBERS);
  const db = createPostgresDb({ url: database.url, ownerUrl: database.ownerUrl, poolSize: 10 });
  let bus: Bus | undefined;
  const senders = await createChannelSenders(
    { smtpUrl: sink.url, emailFrom: 'Bench Club <no-reply@bench.example>' },
    { send: () => Promise.reject(new Error('the bench sends over SMTP')) },
  );
  try {
    await ensureAppLogin(db, database.url);
    bus = await createNatsBus({ url: natsUrl!, stream, subjectPrefix: `bench${token}` });
    const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
    const service = await createNotificationService({
      db,
      bus,
      log,
      channels: { email: senders.email },
      publicUrl: 'https://clubland.example',
      delivery,
    });
    await migrate(db, { schema: service.schema, migrations: service.migrations });
    const clubId = randomUUID();
    const userIds = await seedClub(database.ownerUrl, clubId, MEMBERS);
    const admin = randomUUID();

    // What the gateway would hear: every notification.created, over NATS.
    let announced = 0;
    let allAnnounced: (at: number) => void = () => undefined;
    const announcedAt = new Promise<number>((resolve) => {
      allAnnounced = resolve;
    });
    const heard = new Set<string>();
    const subscription = await bus.subscribe({
      consumer: `bench-fanout-${token}`,
      types: ['notification.created'],
      handler: async (event) => {
        const { notificationId } = event.data as { notificationId: string };
        if (heard.has(notificationId)) return;
        heard.add(notificationId);
        announced += 1;
        if (announced >= MEMBERS) allAnnounced(performance.now());
      },
    });
    await service.start();
    const client = createRpcClient(NotificationService, createLoopbackTransport(service.register, log));

    const started = performance.now();
    const { notifications } = await client.sendBulkNotifications({
      caller: {
        $typeName: 'clubland.member.v1.CallerContext',
        userId: admin,
        sessionId: '',
        homeClubId: clubId,
        grants: [{ $typeName: 'clubland.member.v1.CallerGrant', role: 'CLUB_ADMIN', clubId }],
        source: 'clubland',
      },
      clubId,
      userIds,
      draft: {
        channel: 'EMAIL',
        priority: 'NORMAL',
        title: 'Annual general meeting',
        body: 'The AGM is on Thursday at 7 pm in the library. Members may bring one guest.',
        templateId: '',
        templateDataJson: '',
      },
    });
    const stored = performance.now();
    if (notifications.length !== MEMBERS) throw new Error(`stored ${notifications.length} of ${MEMBERS}`);
    const timeout = (what: () => string) =>
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`${what()}: timed out`)), 120_000).unref(),
      );
    const [announcedDone, mailedDone] = await Promise.all([
      Promise.race([announcedAt, timeout(() => `notification.created (${announced} heard)`)]),
      Promise.race([sink.allAccepted, timeout(() => 'emails (the sink reports only when all arrived)')]),
    ]);
    const ended = Math.max(announcedDone, mailedDone);

    // Every row as the service recorded it: in the inbox, and its email SENT.
    const check = new pg.Client({ connectionString: database.ownerUrl });
    await check.connect();
    let sent = 0;
    for (let tries = 0; tries < 100; tries++) {
      const { rows } = await check.query<{ n: string }>(
        `SELECT count(*) AS n FROM notification.deliveries WHERE channel = 'EMAIL' AND status = 'SENT'`,
      );
      sent = Number(rows[0]!.n);
      if (sent >= MEMBERS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { rows: inbox } = await check.query<{ n: string }>(
      `SELECT count(*) AS n FROM notification.notifications WHERE club_id = $1 AND status <> 'PENDING'`,
      [clubId],
    );
    await check.end();
    await subscription.close();
    await service.stop();
    const total = ended - started;
    return {
      members: MEMBERS,
      delivery: JSON.stringify(delivery),
      'stored (ms)': Math.round(stored - started),
      'all announced on NATS (ms)': Math.round(announcedDone - started),
      'all emails accepted (ms)': Math.round(mailedDone - started),
      'end to end (ms)': Math.round(total),
      'emails/s': Math.round(MEMBERS / ((mailedDone - started) / 1000)),
      'in-app rows': Number(inbox[0]!.n),
      'deliveries SENT': sent,
      'sink messages': sink.counts().messages,
      met: total < TARGET_MS ? 'yes' : 'NO',
    };
  } finally {
    senders.close();
    await sink.close();
    await bus?.close();
    await db.close();
    await database.drop();
    const nc = await connect({ servers: natsUrl! });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
}

console.table([await run()]);
// Everything was closed in run(); something (not yet found) still holds the event loop open, so
// the bench ends itself once the figure is printed.
process.exit(0);
