import { availableParallelism } from 'node:os';
import {
  addToOutbox,
  type Bus,
  createOutboxRelay,
  outboxMigrationSql,
  type Subscription,
} from '@clubland/bus';
import { type Db, loadMigrations, type Migration, partiesTableSql } from '@clubland/db';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { createBlockSealer } from './app/block-sealer.ts';
import { LEDGER_SCHEMA } from './app/deps.ts';
import { consumeEntryRequests } from './app/entry-consumer.ts';
import { entryStatusChanged } from './events/builders.ts';
import { createClubKeyring } from './ledger/club-keys.ts';
import { createEmbeddedLedger, type EmbeddedLedger } from './ledger/embedded-ledger.ts';
import { createEntrySigner } from './ledger/entry-signer.ts';
import type { FabricConnection } from './ledger/fabric-connection.ts';
import type { FabricLedger } from './ledger/fabric-ledger.ts';
import type { FabricSettings } from './ledger/fabric-settings.ts';
import type { LedgerEntry, StatusChange, StatusChangesWritten } from './ledger/ledger-port.ts';
import { registerLedgerRpc } from './rpc.ts';

export type { FabricConnection } from './ledger/fabric-connection.ts';
export type { FabricProofDocument } from './ledger/fabric-ledger.ts';
export {
  DEFAULT_FABRIC_ENV_FILE,
  type FabricSettings,
  fabricSettingsFromEnv,
  ledgerTarget,
  readEnvFile,
} from './ledger/fabric-settings.ts';
export type { ChainVerdict, Ledger, LedgerEntry, LedgerReader } from './ledger/ledger-port.ts';

/**
 * A connection to a Fabric peer's Gateway (tests, the benchmark). The Fabric client libraries
 * (gRPC, Fabric's protobufs: ~35 MB resident) load here, on first use, not with the service: the
 * embedded ledger never needs them.
 */
export async function connectFabric(settings: FabricSettings): Promise<FabricConnection> {
  const fabric = await import('./ledger/fabric-connection.ts');
  return fabric.connectFabric(settings);
}

export interface LedgerServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  /** LEDGER_KEY_ENCRYPTION_KEY: seals the clubs' private signing keys. */
  keyEncryptionKey: string;
  /** A block is sealed once this many entries wait (default 1000)... */
  maxBlockEntries?: number;
  /** ...or every this many milliseconds with whatever waits (default 1000; 0: only by count). */
  blockIntervalMs?: number;
  outboxPollIntervalMs?: number;
  /**
   * Threads signing blocks' entries (default on PostgreSQL 2 where there are 2 cores or more; on
   * PGlite, and else, 0: on the event loop). One thread measured no faster than none on 2 cores;
   * two, 11% faster (bench/README.md).
   */
  signingThreads?: number;
  clock?: () => Date;
  newId?: () => string;
  /**
   * Where entries go (LEDGER): the embedded ledger in this service's schema (the default), or a
   * Hyperledger Fabric channel through `fabric` (FABRIC_* settings).
   */
  ledger?: 'embedded' | 'fabric';
  fabric?: FabricSettings;
  /**
   * Fabric transactions in flight at once (default 3): one is endorsed while others wait for their
   * block. The embedded ledger seals one block at a time.
   */
  fabricConcurrency?: number;
  /** Told of every status change as it is written, after its events (the benchmark's latencies). */
  observe?: (changes: readonly StatusChange[]) => void;
  /** An open Fabric connection to share (tests, the benchmark); closed by its owner. */
  fabricConnection?: FabricConnection;
}

/**
 * The ledger service, wired: its schema's migrations, the embedded ledger, the consumer of
 * ledger.entry_requested, the block sealer, its RPC routes and its outbox relay (which carries
 * ledger.entry_status_changed to the reciprocal service and the gateway's subscribers).
 */
export async function createLedgerService(options: LedgerServiceOptions) {
  const clock = options.clock ?? (() => new Date());
  const newId = options.newId ?? uuidv7;
  const maxBlockEntries = options.maxBlockEntries ?? DEFAULT_MAX_BLOCK_ENTRIES;
  const relay = createOutboxRelay({
    db: options.db,
    bus: options.bus,
    schema: LEDGER_SCHEMA,
    log: options.log,
    pollIntervalMs: options.outboxPollIntervalMs ?? 1000,
  });
  const keys = createClubKeyring({
    db: options.db,
    keyEncryptionKey: options.keyEncryptionKey,
    clock,
    newId,
  });
  const signer = createEntrySigner({
    // Embedded (PGlite, the one-process default) signs inline: two worker threads would hold memory
    // for a throughput a single process on PGlite does not reach. On PostgreSQL, two threads.
    threads: options.signingThreads ?? (options.db.kind === 'postgres' && availableParallelism() > 1 ? 2 : 0),
  });
  const ledgerOptions = {
    db: options.db,
    keys,
    signer,
    clock,
    maxBlockEntries,
    statusChanged: async (
      tx: Parameters<typeof addToOutbox>[0],
      changes: Parameters<StatusChangesWritten>[1],
    ) => {
      await addToOutbox(
        tx,
        LEDGER_SCHEMA,
        changes.map((change) => entryStatusChanged(change, newId)),
      );
      options.observe?.(changes);
    },
  };
  let ledger: EmbeddedLedger | FabricLedger;
  if (options.ledger === 'fabric') {
    if (!options.fabric) throw new Error('LEDGER=fabric needs the FABRIC_* settings');
    // Loaded only for Fabric (see connectFabric).
    const { createFabricLedger } = await import('./ledger/fabric-ledger.ts');
    ledger = createFabricLedger({
      ...ledgerOptions,
      fabric: options.fabric,
      ...(options.fabricConnection ? { connection: options.fabricConnection } : {}),
    });
  } else {
    ledger = createEmbeddedLedger(ledgerOptions);
  }
  const sealer = createBlockSealer({
    seal: (minEntries) => ledger.sealBlock(minEntries),
    maxBlockEntries,
    intervalMs: options.blockIntervalMs ?? DEFAULT_BLOCK_INTERVAL_MS,
    concurrency: ledger.kind === 'fabric' ? (options.fabricConcurrency ?? 3) : 1,
    log: options.log,
    sealed: () => relay.notify(),
  });
  const submit = async (entries: readonly LedgerEntry[]) => {
    const changes = await ledger.submit(entries);
    if (changes.length > 0) relay.notify();
    sealer.nudge();
    return changes;
  };
  let requests: Subscription | undefined;
  const register: RegisterRoutes = (router) => registerLedgerRpc(router, { ledger });

  return {
    name: 'ledger' as const,
    schema: LEDGER_SCHEMA,
    migrations: await ledgerMigrations(),
    register,
    /** The port, for tests and the benchmark: submit, status, get, proof, verifyChain. */
    ledger,
    keys,
    /** Takes entries as the consumer does (the relay woken, full blocks sealed). */
    submit,
    /** Seals whatever waits now, in as many blocks as it takes. */
    flush: () => sealer.flush(),
    /** Starts background work: the outbox relay, the consumer of entry requests, the sealer. */
    async start(): Promise<void> {
      relay.start();
      sealer.start();
      requests ??= await consumeEntryRequests({ bus: options.bus, submit });
    },
    /** Stops taking entries, lets the sealer finish its block, publishes what the outbox holds. */
    async stop(): Promise<void> {
      await requests?.close();
      requests = undefined;
      await sealer.stop();
      await relay.stop();
      await signer.close();
      if (ledger.kind === 'fabric') await ledger.close();
    },
  };
}

export type LedgerService = Awaited<ReturnType<typeof createLedgerService>>;

const DEFAULT_MAX_BLOCK_ENTRIES = 1000;
const DEFAULT_BLOCK_INTERVAL_MS = 1000;

/** Tables holding payloads, by migration: the parties policy (the entry's two clubs, the network). */
const SHARED_TABLES: Readonly<Record<number, readonly (readonly [string, readonly string[]])[]>> = {
  2: [
    ['payloads', ['club_id', 'counterparty_club_id']],
    ['pending', ['club_id', 'counterparty_club_id']],
  ],
};

export async function ledgerMigrations(): Promise<Migration[]> {
  const loaded = await loadMigrations(new URL('./store/migrations/', import.meta.url));
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(LEDGER_SCHEMA) },
    ...loaded.map((migration) => ({
      ...migration,
      sql:
        migration.sql +
        (SHARED_TABLES[migration.version] ?? [])
          .map(([table, parties]) => partiesTableSql(LEDGER_SCHEMA, table, parties))
          .join(''),
    })),
  ];
}
