import { type Bus, createOutboxRelay, outboxMigrationSql, type Subscription } from '@clubland/bus';
import { clubScopedTableSql, type Db, loadMigrations, type Migration, tenantTableSql } from '@clubland/db';
import type { Notifier } from '@clubland/notify';
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
import { type MemberContacts, unknownContacts } from './app/member-contacts.ts';
import { followWebhookEvents } from './channels/follow-webhook-events.ts';
import { registerMailRpc } from './channels/mail.ts';
import { registerWebhookRpc } from './channels/rpc-webhooks.ts';
import { createWebhookChannel } from './channels/webhook-channel.ts';
import type { WebhookDispatcherOptions } from './channels/webhook-dispatcher.ts';
import { createWebhookSecretSeal } from './channels/webhook-secret-seal.ts';
import { deliverAtForRow } from './domain/preference-row.ts';
import { registerNotificationRpc } from './rpc.ts';

export { type ClubBrands, type ClubRegistryClient, createClubBrands } from './app/club-brands.ts';
export { createNotifications, type Notice } from './app/create-notifications.ts';
export {
  createMemberContacts,
  type MemberContactClient,
  type MemberContacts,
} from './app/member-contacts.ts';
export { unsubscribeSecretsOf } from './app/unsubscribe-secrets.ts';
export type { EmailSender, PushSender, SmsSender } from './channels/channel.ts';
export { WEBHOOK_EVENT_TYPES } from './channels/follow-webhook-events.ts';
export { notifierOverEmailSender, notifierOverMailService } from './channels/mail.ts';
export {
  type ChannelSenderSet,
  type ChannelSettings,
  channelSettingsOf,
  createChannelSenders,
} from './channels/senders.ts';
export {
  createReplayGuard,
  signWebhook,
  type VerifyWebhookInput,
  verifyWebhook,
} from './channels/webhook-signature.ts';
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
  /** Members' phones and languages (createMemberContacts over the member service's MemberService); default none. */
  contacts?: MemberContacts;
  /**
   * NOTIFICATION_UNSUBSCRIBE_SECRETS (unsubscribeSecretsOf): sign the emails' unsubscribe links,
   * which lead to `${publicUrl}/notifications/unsubscribe`; without them emails carry no link.
   */
  unsubscribeSecrets?: readonly string[];
  clock?: () => Date;
  newId?: () => string;
  /**
   * Where other services' mail sent through MailService goes (the auth service's verification,
   * reset and invitation emails): the SMTP sender as a Notifier (`notifierOverEmailSender`), or the
   * local outbox. Without it, MailService is not served.
   */
  transactionalMail?: Notifier;
  /**
   * Webhooks to club endpoints: `allowLocalEndpoints` (WEBHOOK_ALLOW_LOCAL_ENDPOINTS) lets
   * development and tests register http:// and loopback/private endpoints; `dispatcher` tunes the
   * sender (poll interval, retry policy, timeouts).
   */
  webhooks?: {
    allowLocalEndpoints?: boolean;
    dispatcher?: Omit<WebhookDispatcherOptions, 'db' | 'clock' | 'allowPrivateNetworks'>;
  };
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
    contacts: options.contacts ?? unknownContacts,
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
  const webhooks = createWebhookChannel({
    db: options.db,
    config: { WEBHOOK_ALLOW_LOCAL_ENDPOINTS: options.webhooks?.allowLocalEndpoints ?? false },
    clock: world.clock,
    newId: world.newId,
    ...(options.webhooks?.dispatcher ? { dispatcher: options.webhooks.dispatcher } : {}),
    // The service's secrets seal the clubs' webhook secrets at rest as well (a key of its own, derived).
    ...(options.unsubscribeSecrets && options.unsubscribeSecrets.length > 0
      ? { seal: createWebhookSecretSeal(options.unsubscribeSecrets) }
      : {}),
  });
  let events: Subscription | undefined;
  let webhookEvents: Subscription | undefined;
  // NotificationService and WebhookService on one router: one address serves both.
  const register: RegisterRoutes = (router) => {
    registerNotificationRpc(router, deps, world);
    registerWebhookRpc(router, webhooks);
    if (options.transactionalMail) registerMailRpc(router, options.transactionalMail);
  };

  return {
    name: 'notification' as const,
    schema: NOTIFICATION_SCHEMA,
    migrations: await notificationMigrations(),
    register,
    /** The delivery loop, for a test or a job that wants one pass now (runOnce). */
    deliveryLoop,
    /** The webhook channel: its use cases' deps, its dispatcher (runOnce for a test), queue(). */
    webhooks,
    async start(): Promise<void> {
      relay.start();
      events = await followDomainEvents(deps, options.bus, world, options.log);
      deliveryLoop.start();
      const { resealed, unopened } = await webhooks.resealSecrets();
      if (resealed > 0)
        options.log.info({ resealed }, 'webhook endpoint secrets sealed under the current key');
      if (unopened.length > 0)
        options.log.error(
          { endpoints: unopened },
          'webhook endpoint secrets that no NOTIFICATION_UNSUBSCRIBE_SECRETS key opens: their calls fail until it is given back',
        );
      webhookEvents = await followWebhookEvents(options.db, options.bus, webhooks, NOTIFICATION_SCHEMA);
      webhooks.dispatcher.start();
    },
    /** Stops consuming and sending, then publishes what the outbox still holds. */
    async stop(): Promise<void> {
      await Promise.all([events?.close(), webhookEvents?.close()]);
      await Promise.all([deliveryLoop.stop(), webhooks.dispatcher.stop()]);
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
