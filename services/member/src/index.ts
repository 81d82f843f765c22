import { type Bus, createOutboxRelay, outboxMigrationSql } from '@clubland/bus';
import { type Db, loadMigrations, type Migration } from '@clubland/db';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { MEMBER_SCHEMA, type MemberDeps } from './app/deps.ts';
import { registerMemberRpc } from './rpc.ts';

export interface MemberServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  outboxPollIntervalMs?: number;
  clock?: () => Date;
  newId?: () => string;
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
  const deps: MemberDeps = { db: options.db, eventsWritten: () => relay.notify() };
  const world = { clock: options.clock ?? (() => new Date()), newId: options.newId ?? uuidv7 };
  const register: RegisterRoutes = (router) => registerMemberRpc(router, deps, world);

  return {
    name: 'member' as const,
    schema: MEMBER_SCHEMA,
    migrations: await memberMigrations(),
    register,
    /** Starts background work: the outbox relay. */
    async start(): Promise<void> {
      relay.start();
    },
    /** Publishes what the outbox still holds, then stops. */
    async stop(): Promise<void> {
      await relay.stop();
    },
  };
}

export type MemberService = Awaited<ReturnType<typeof createMemberService>>;

export async function memberMigrations(): Promise<Migration[]> {
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(MEMBER_SCHEMA) },
    ...(await loadMigrations(new URL('./store/migrations/', import.meta.url))),
  ];
}
