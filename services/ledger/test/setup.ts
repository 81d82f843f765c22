import { type Bus, createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { ledgerEntryRequested, ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { type Db, migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import canonicalize from 'canonicalize';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { createLedgerService, type LedgerEntry, type LedgerServiceOptions } from '../src/index.ts';

export const TEST_KEY_ENCRYPTION_KEY = 'ledger-test-key-encryption-key-0123456789';

/**
 * The ledger service on a fresh database (PGlite, or a new PostgreSQL database when DATABASE_URL
 * is set) and the in-process bus; blocks sealed by count or by `flush()` (no timer unless asked).
 * `statuses` collects every ledger.entry_status_changed the outbox relay delivers.
 */
export async function setupLedgerService(options: Partial<LedgerServiceOptions> = {}) {
  const db = options.db ?? (await createTestDb());
  const bus = options.bus ?? createMemoryBus();
  const service = await startLedger(db, bus, options);
  const statuses: EventEnvelope[] = [];
  const observer = await bus.subscribe({
    consumer: `ledger-test-observer-${uuidv7()}`,
    types: [ledgerEntryStatusChanged.type],
    handler: async (event) => {
      statuses.push(event);
    },
  });
  return {
    db,
    bus,
    service,
    ledger: service.ledger,
    statuses,
    /** Another instance of the service on the same database and bus. */
    another: (more: Partial<LedgerServiceOptions> = {}) => startLedger(db, bus, { ...options, ...more }),
    async close() {
      await observer.close();
      await service.stop();
      await db.close();
    },
  };
}

async function startLedger(db: Db, bus: Bus, options: Partial<LedgerServiceOptions>) {
  const service = await createLedgerService({
    db,
    bus,
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    keyEncryptionKey: TEST_KEY_ENCRYPTION_KEY,
    blockIntervalMs: 0,
    maxBlockEntries: 100,
    outboxPollIntervalMs: 20,
    ...options,
  });
  await migrate(db, { schema: service.schema, migrations: service.migrations });
  await service.start();
  return service;
}

/** A visit fact between two clubs, as the reciprocal service would ask for it. */
export function visitEntry(
  clubId: string,
  counterpartyClubId: string | null,
  more: Partial<LedgerEntry> = {},
): LedgerEntry {
  const id = uuidv7();
  return {
    id,
    entityKind: 'visit',
    entityId: uuidv7(),
    fact: 'visit.checked_in',
    clubId,
    counterpartyClubId,
    payload: canonicalize({ visitId: id, guestCount: 1, memberName: 'Ada Lovelace', fee: 2500 }) ?? '{}',
    at: new Date().toISOString(),
    ...more,
  };
}

export function requestOf(entry: LedgerEntry): EventEnvelope {
  return ledgerEntryRequested.build(
    {
      tenantId: entry.clubId,
      correlationId: null,
      data: {
        entryId: entry.id,
        entityKind: entry.entityKind as 'visit',
        entityId: entry.entityId,
        fact: entry.fact,
        clubId: entry.clubId,
        counterpartyClubId: entry.counterpartyClubId,
        payload: entry.payload,
        at: entry.at,
      },
    },
    { newId: () => entry.id },
  );
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
