import { type Bus, createOutboxRelay, outboxMigrationSql, type Subscription } from '@clubland/bus';
import { clubScopedTableSql, type Db, loadMigrations, type Migration, tenantTableSql } from '@clubland/db';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { type ClubBrands, unnamedClubs } from './app/club-brands.ts';
import {
  createDeliveryLoop,
  type DeliveryLoopOptions,
  defaultDeliveryLoopOptions,
} from './app/delivery-loop.ts';
import {
  type ChannelSenders,
  type DeliverAt,
  NOTIFICATION_SCHEMA,
  type NotificationDeps,
} from './app/deps.ts';
import { followDomainEvents } from './app/follow-events.ts';
import { deliverAtForRow } from './domain/preference-row.ts';
import { registerNotificationRpc } from './rpc.ts';

export { type ClubBrands, type ClubRegistryClient, createClubBrands } from './app/club-brands.ts';
export { createNotifications, type Notice } from './app/create-notifications.ts';
export { unsubscribeSecretsOf } from './app/unsubscribe-secrets.ts';
export type { EmailSender, PushSender, SmsSender } from './channels/channel.ts';
export { fileOutboxEmailSender } from './file-outbox-email.ts';

export interface NotificationServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  /** The senders this instance has; a channel without one fails its deliveries (not retryable). */
  channels: ChannelSenders;
  /** Where links in emails point (PUBLIC_URL). */
  publicUrl: string;
  outboxPollIntervalMs?: number;
  delivery?: Partial<DeliveryLoopOptions>;
  /** When a notice may reach a person; default the quiet-hours rule in the person's time zone. */
  deliverAt?: DeliverAt;
  /** Clubs' names for texts and emails (createClubBrands over the member service's ClubRegistry); default none. */
  clubs?: ClubBrands;
  /**
   * NOTIFICATION_UNSUBSCRIBE_SECRETS (unsubscribeSecretsOf): sign the emails' unsubscribe links,
   * which lead to `${publicUrl}/notifications/unsubscribe`; without them emails carry no link.
   */
  unsubscribeSecrets?: readonly string[];
  clock?: () => Date;
  newId?: () => string;
}

/**
 * The notification service, wired: its schema's migrations, its RPC routes, its outbox relay
 * (notification.created for the gateway's notificationReceived), the consumer of other services'
 * events, and the delivery loop sending through the channels.
 */
export async function createNotificationService(options: NotificationServiceOptions) {
  const relay = createOutboxRelay({
    db: options.db,
    bus: options.bus,
    schema: NOTIFICATION_SCHEMA,
    log: options.log,
    pollIntervalMs: options.outboxPollIntervalMs ?? 1000,
  });
  const world = { clock: options.clock ?? (() => new Date()), newId: options.newId ?? uuidv7 };
  let loop: ReturnType<typeof createDeliveryLoop> | undefined;
  const deps: NotificationDeps = {
    db: options.db,
    eventsWritten: () => relay.notify(),
    deliveriesWritten: () => loop?.wake(),
    channels: options.channels,
    deliverAt: options.deliverAt ?? deliverAtForRow,
    publicUrl: options.publicUrl,
    clubs: options.clubs ?? unnamedClubs,
    unsubscribe:
      options.unsubscribeSecrets && options.unsubscribeSecrets.length > 0
        ? {
            secrets: options.unsubscribeSecrets,
            baseUrl: `${options.publicUrl.replace(/\/$/, '')}/notifications/unsubscribe`,
          }
        : null,
  };
  loop = createDeliveryLoop(deps, world, options.log, { ...defaultDeliveryLoopOptions, ...options.delivery });
  const deliveryLoop = loop;
  let events: Subscription | undefined;
  const register: RegisterRoutes = (router) => registerNotificationRpc(router, deps, world);

  return {
    name: 'notification' as const,
    schema: NOTIFICATION_SCHEMA,
    migrations: await notificationMigrations(),
    register,
    /** The delivery loop, for a test or a job that wants one pass now (runOnce). */
    deliveryLoop,
    async start(): Promise<void> {
      relay.start();
      events = await followDomainEvents(deps, options.bus, world, options.log);
      deliveryLoop.start();
    },
    /** Stops consuming and sending, then publishes what the outbox still holds. */
    async stop(): Promise<void> {
      await events?.close();
      await deliveryLoop.stop();
      await relay.stop();
    },
  };
}

export type NotificationService = Awaited<ReturnType<typeof createNotificationService>>;

/**
 * Row-level security by the migration that creates the table. Club-scoped (a club's transaction
 * sees its own rows, a network transaction all): a person's inbox spans clubs and is read by
 * user_id in a network transaction. Tenant-owned: a club's templates, its own alone.
 */
const CLUB_SCOPED: Readonly<Record<number, readonly [string, string?][]>> = {
  2: [['notifications']],
  3: [['deliveries']],
  4: [['preferences']],
  6: [['recipients', 'home_club_id'], ['club_members'], ['club_staff']],
};
const TENANT_TABLES: Readonly<Record<number, readonly string[]>> = {
  5: ['templates'],
};

export async function notificationMigrations(): Promise<Migration[]> {
  const loaded = await loadMigrations(new URL('./store/migrations/', import.meta.url));
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(NOTIFICATION_SCHEMA) },
    ...loaded.map((migration) => ({
      ...migration,
      sql:
        migration.sql +
        (CLUB_SCOPED[migration.version] ?? [])
          .map(([table, column]) => clubScopedTableSql(NOTIFICATION_SCHEMA, table, column))
          .join('') +
        (TENANT_TABLES[migration.version] ?? [])
          .map((table) => tenantTableSql(NOTIFICATION_SCHEMA, table))
          .join(''),
    })),
  ];
}
