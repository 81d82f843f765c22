// The analytics facts consumer's write rate: VISITS visits, each checked in and out a minute after
// the previous one (2 × VISITS visit.status_changed events), applied as follow-facts.ts applies them:
// processed-event marks and facts in one transaction per BATCH events, the rollups of the days they
// touched recounted once per transaction. BATCH=1 is one transaction per event; the consumer takes
// what arrives together, up to 64 in flight. PostgreSQL when DATABASE_URL is set, else PGlite.
// Run: BATCH=64 VISITS=1000 node bench/analytics-consumer.ts

import { markProcessed } from '@clubland/bus';
import { visitStatusChanged } from '@clubland/contract/events/reciprocal';
import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { v7 as uuidv7 } from 'uuid';
import { applyFacts } from '../services/analytics/src/app/follow-facts.ts';
import { analyticsMigrations } from '../services/analytics/src/index.ts';

const db = await createTestDb();
await migrate(db, { schema: 'analytics', migrations: await analyticsMigrations() });
const clubs = Array.from({ length: 10 }, () => uuidv7());
const VISITS = Number(process.env.VISITS ?? 1000);
const events = [];
for (let i = 0; i < VISITS; i++) {
  const visitId = uuidv7();
  const home = clubs[i % 10]!;
  const host = clubs[(i + 1) % 10]!;
  const inAt = new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60_000).toISOString();
  const outAt = new Date(Date.parse(inAt) + 3_600_000).toISOString();
  const base = {
    visitId,
    homeClubId: home,
    hostClubId: host,
    memberId: uuidv7(),
    memberUserId: null,
    agreementId: uuidv7(),
    reason: null,
    changedBy: null,
  };
  events.push(
    visitStatusChanged.build({
      tenantId: host,
      correlationId: null,
      data: { ...base, from: null, to: 'CHECKED_IN', changedAt: inAt, checkedInAt: inAt },
    }),
  );
  events.push(
    visitStatusChanged.build({
      tenantId: host,
      correlationId: null,
      data: {
        ...base,
        from: 'CHECKED_IN',
        to: 'CHECKED_OUT',
        changedAt: outAt,
        checkedInAt: inAt,
        checkedOutAt: outAt,
      },
    }),
  );
}
const BATCH = Number(process.env.BATCH ?? 1);
const t0 = performance.now();
for (let i = 0; i < events.length; i += BATCH) {
  const batch = events.slice(i, i + BATCH);
  await db.transaction(async (tx) => {
    const fresh = await markProcessed(
      tx,
      { schema: 'analytics', consumer: 'bench' },
      batch.map((e) => e.id),
    );
    await applyFacts(
      tx,
      batch.filter((event) => fresh.delete(event.id)),
    );
  });
}
const ms = performance.now() - t0;
console.log(
  db.kind,
  `${events.length} visit events in transactions of ${BATCH}: ${(events.length / (ms / 1000)).toFixed(0)} events/s`,
);
await db.close();
