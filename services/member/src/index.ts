import { randomUUID } from 'node:crypto';
import { type Bus, createOutboxRelay, outboxMigrationSql, type Subscription } from '@clubland/bus';
import { type Db, loadMigrations, type Migration, tenantTableSql } from '@clubland/db';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { followAgreements } from './app/agreement-read-model.ts';
import {
  type AccountDirectory,
  DEFAULT_CARD_TTL_SECONDS,
  MEMBER_SCHEMA,
  type MemberDeps,
} from './app/deps.ts';
import { createMemberCache, DEFAULT_MEMBER_CACHE_TTL_MS, forgetOnMemberEvents } from './app/member-cache.ts';
import { registerMemberRpc } from './rpc.ts';

export { type AccountsClient, createAccountDirectory, lateAccountsClient } from './account-directory.ts';
export type { AccountAtClub, AccountDirectory } from './app/deps.ts';

export interface MemberServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  /**
   * The auth service's accounts (createAccountDirectory over its RPC client): asked before a
   * member record is linked to an account or a linked one is erased.
   */
  accounts: AccountDirectory;
  outboxPollIntervalMs?: number;
  clock?: () => Date;
  newId?: () => string;
  /** Lifetime of a membership card (QR code); default 300 s. */
  cardTtlSeconds?: number;
  /** How long a member read for display is served from memory (app/member-cache.ts); default
   *  30 s, 0 reads the table every time. */
  memberCacheTtlMs?: number;
}

/** The member service, wired: its schema's migrations, its RPC routes, its outbox relay. */
export async function createMemberService(options: MemberServiceOptions) {
  const relay = createOutboxRelay({
    db: options.db,
    bus: options.bus,
    schema: MEMBER_SCHEMA,
    log: options.log,
    pollIntervalMs: options.outboxPollIntervalMs ?? 1000,
  });
  const memberCache = createMemberCache(options.db, {
    ttlMs: options.memberCacheTtlMs ?? DEFAULT_MEMBER_CACHE_TTL_MS,
  });
  let forgetting: Subscription | undefined;
  let agreements: Subscription | undefined;
  const deps: MemberDeps = {
    db: options.db,
    memberCache,
    eventsWritten: () => relay.notify(),
    cardTtlSeconds: options.cardTtlSeconds ?? DEFAULT_CARD_TTL_SECONDS,
    accounts: options.accounts,
  };
  const world = { clock: options.clock ?? (() => new Date()), newId: options.newId ?? uuidv7 };
  const register: RegisterRoutes = (router) => registerMemberRpc(router, deps, world);

  return {
    name: 'member' as const,
    schema: MEMBER_SCHEMA,
    migrations: await memberMigrations(),
    register,
    /** Starts background work: the outbox relay, forgetting members other instances write, and
     *  following agreements (the read model DescribeVisitor asks). */
    async start(): Promise<void> {
      relay.start();
      forgetting = await forgetOnMemberEvents(options.bus, memberCache, randomUUID());
      agreements = await followAgreements(options.db, options.bus);
    },
    /** Publishes what the outbox still holds, then stops. */
    async stop(): Promise<void> {
      await agreements?.close();
      await forgetting?.close();
      await relay.stop();
    },
  };
}

export type MemberService = Awaited<ReturnType<typeof createMemberService>>;

/**
 * Tenant-owned tables by the migration that creates them: each gets the one row-level security
 * template (club_id = the transaction's tenant) appended to that migration's SQL.
 */
const TENANT_TABLES: Readonly<Record<number, readonly string[]>> = {
  3: ['members', 'status_changes', 'privacy_audit'],
  4: ['card_signing_keys'],
  7: ['member_counts'],
  9: ['club_status_changes'],
  10: ['account_links'],
  11: ['member_directory'],
};

export async function memberMigrations(): Promise<Migration[]> {
  const loaded = await loadMigrations(new URL('./store/migrations/', import.meta.url));
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(MEMBER_SCHEMA) },
    ...loaded.map((migration) => ({
      ...migration,
      sql:
        migration.sql +
        (TENANT_TABLES[migration.version] ?? [])
          .map((table) => tenantTableSql(MEMBER_SCHEMA, table))
          .join(''),
    })),
  ];
}
