import type { Bus } from '@clubland/bus';
import { type AppConfig, publicUrlOf } from '@clubland/config';
import type { Db } from '@clubland/db';
import type { Logger } from '@clubland/log';
import {
  channelSettingsOf,
  createChannelSenders,
  createNotificationService,
  fileOutboxEmailSender,
  notifierOverEmailSender,
} from '@clubland/notification-service';
import type { Notifier } from '@clubland/notify';

/**
 * The notification service as `start` and the one-off commands make it, with the senders its
 * configuration names: email over SMTP when SMTP_URL is set, else through `mail` (the file outbox
 * under the data directory, packages/notify); SMS and push when their provider's variables are set
 * (a provider half configured is refused here, naming what is missing); a channel without a sender
 * fails its deliveries as not retryable and says so. The webhook dispatcher starts and stops with
 * the service; WEBHOOK_ALLOW_LOCAL_ENDPOINTS lets development use http:// and local endpoints.
 * Other services' mail (MailService: the auth service's verification, reset and invitation
 * emails) goes over SMTP when SMTP_URL is set, through `observeMail` when given (the demo seed's
 * tap), and else to `mail` unchanged (the outbox files the first-run instructions read links from).
 */
/** Outside production when NOTIFICATION_UNSUBSCRIBE_SECRETS is unset: public, so never in production. */
const DEVELOPMENT_UNSUBSCRIBE_SECRET = 'clubland-development-unsubscribe-key-not-for-production';

/**
 * The keys signing unsubscribe links: NOTIFICATION_UNSUBSCRIBE_SECRETS (comma-separated, the first
 * signs), else the development key outside production; in production without it, none (emails
 * then carry no unsubscribe link, and the log says so).
 */
export function unsubscribeSecretsOf(
  config: Pick<AppConfig, 'NOTIFICATION_UNSUBSCRIBE_SECRETS' | 'NODE_ENV'>,
  log: Pick<Logger, 'warn'>,
): string[] {
  const configured = (config.NOTIFICATION_UNSUBSCRIBE_SECRETS ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
  const short = configured.findIndex((secret) => secret.length < 32);
  if (short >= 0)
    throw new Error(`NOTIFICATION_UNSUBSCRIBE_SECRETS: key ${short + 1} must be at least 32 characters long`);
  if (configured.length > 0) return configured;
  if (config.NODE_ENV !== 'production') return [DEVELOPMENT_UNSUBSCRIBE_SECRET];
  log.warn('NOTIFICATION_UNSUBSCRIBE_SECRETS is unset: emails carry no unsubscribe link');
  return [];
}

export async function notificationServiceFrom(
  config: AppConfig,
  parts: { db: Db; bus: Bus; log: Logger; mail: Notifier; observeMail?: (inner: Notifier) => Notifier },
) {
  const senders = createChannelSenders(channelSettingsOf(config), fileOutboxEmailSender(parts.mail));
  parts.log.info(
    {
      email: config.SMTP_URL ? 'smtp' : 'outbox',
      sms: senders.sms ? 'provider' : 'none',
      push: senders.push ? 'provider' : 'none',
    },
    'notification channels',
  );
  const service = await createNotificationService({
    db: parts.db,
    bus: parts.bus,
    log: parts.log,
    channels: {
      email: senders.email,
      ...(senders.sms ? { sms: senders.sms } : {}),
      ...(senders.push ? { push: senders.push } : {}),
    },
    publicUrl: publicUrlOf(config),
    unsubscribeSecrets: unsubscribeSecretsOf(config, parts.log),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    webhooks: { allowLocalEndpoints: config.WEBHOOK_ALLOW_LOCAL_ENDPOINTS },
    transactionalMail: config.SMTP_URL
      ? (parts.observeMail ?? ((inner) => inner))(notifierOverEmailSender(senders.email))
      : parts.mail,
  });
  return {
    ...service,
    /** Stops the service, then closes the SMTP pool its email sender holds. */
    async stop(): Promise<void> {
      await service.stop();
      senders.close();
    },
  };
}
