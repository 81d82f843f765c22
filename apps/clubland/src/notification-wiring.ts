import type { Bus } from '@clubland/bus';
import { type AppConfig, publicUrlOf } from '@clubland/config';
import type { Db } from '@clubland/db';
import type { Logger } from '@clubland/log';
import {
  createNotificationService,
  fileOutboxEmailSender,
  unsubscribeSecretsOf,
} from '@clubland/notification-service';
import type { Notifier } from '@clubland/notify';

/**
 * The notification service as `start` and the one-off commands make it. Email goes through
 * `mail`, the file outbox under the data directory (packages/notify), until the SMTP channel
 * (SMTP_URL) is wired here; SMS and push have no provider configured yet, so such deliveries fail
 * as not retryable and say so.
 */
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
    unsubscribeSecrets: unsubscribeSecretsOf(config),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
}
