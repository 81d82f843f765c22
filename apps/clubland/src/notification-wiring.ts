import type { Bus } from '@clubland/bus';
import { type AppConfig, publicUrlOf } from '@clubland/config';
import type { Db } from '@clubland/db';
import type { Logger } from '@clubland/log';
import {
  type ClubBrands,
  channelSettingsOf,
  createChannelSenders,
  createNotificationService,
  fileOutboxEmailSender,
  type MemberContacts,
  notifierOverEmailSender,
  unsubscribeSecretsOf,
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
export async function notificationServiceFrom(
  config: AppConfig,
  parts: {
    db: Db;
    bus: Bus;
    log: Logger;
    mail: Notifier;
    observeMail?: (inner: Notifier) => Notifier;
    /** Clubs' names for texts and emails (createClubBrands over the member service); none: "your club". */
    clubs?: ClubBrands;
    /** Members' phones and languages (createMemberContacts over the member service); none: no SMS, English. */
    contacts?: MemberContacts;
  },
) {
  const senders = await createChannelSenders(channelSettingsOf(config), fileOutboxEmailSender(parts.mail));
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
    unsubscribeSecrets: unsubscribeSecretsOf(config),
    ...(parts.clubs ? { clubs: parts.clubs } : {}),
    ...(parts.contacts ? { contacts: parts.contacts } : {}),
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
