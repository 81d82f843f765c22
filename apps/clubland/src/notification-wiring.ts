import type { Bus } from '@clubland/bus';
import { type AppConfig, publicUrlOf } from '@clubland/config';
import type { Db } from '@clubland/db';
import type { Logger } from '@clubland/log';
import { createNotificationService, fileOutboxEmailSender } from '@clubland/notification-service';
import type { Notifier } from '@clubland/notify';

/**
 * The notification service as `start` and the one-off commands make it. Email goes through
 * `mail`, the file outbox under the data directory (packages/notify), until the SMTP channel
 * (SMTP_URL) is wired here; SMS and push have no provider configured yet, so such deliveries fail
 * as not retryable and say so.
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

export function notificationServiceFrom(
  config: AppConfig,
  parts: { db: Db; bus: Bus; log: Logger; mail: Notifier },
) {
  return createNotificationService({
    db: parts.db,
    bus: parts.bus,
    log: parts.log,
    channels: { email: fileOutboxEmailSender(parts.mail) },
    publicUrl: publicUrlOf(config),
    unsubscribeSecrets: unsubscribeSecretsOf(config, parts.log),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
}
