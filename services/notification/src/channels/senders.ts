import type { AppConfig } from '@clubland/config';
import type { EmailSender, PushSender, SmsSender } from './channel.ts';
import { createFcmPushSender } from './fcm-push-sender.ts';
import { createTwilioSmsSender } from './twilio-sms-sender.ts';

/**
 * Which adapter meets each channel port, by configuration only (packages/config, README table):
 * SMTP_URL or the local outbox for email; SMS_PROVIDER_URL, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN,
 * SMS_FROM for a Twilio-style SMS API; PUSH_PROVIDER_URL, PUSH_PROJECT_ID, PUSH_ACCESS_TOKEN for an
 * FCM-style push API. A provider is all or nothing: half its variables is a mistake, refused at
 * start-up with the missing names, rather than a channel that silently never sends.
 */
export interface ChannelSettings {
  smtpUrl?: string;
  emailFrom: string;
  sms?: { url: string; accountSid: string; authToken: string; from: string };
  push?: { url: string; projectId: string; accessToken: string };
}

export type ChannelConfig = Pick<
  AppConfig,
  | 'SMTP_URL'
  | 'EMAIL_FROM'
  | 'SMS_PROVIDER_URL'
  | 'SMS_ACCOUNT_SID'
  | 'SMS_AUTH_TOKEN'
  | 'SMS_FROM'
  | 'PUSH_PROVIDER_URL'
  | 'PUSH_PROJECT_ID'
  | 'PUSH_ACCESS_TOKEN'
>;

/** The channel settings of a loaded configuration; throws naming the variables a provider lacks. */
export function channelSettingsOf(config: ChannelConfig): ChannelSettings {
  const sms = allOrNothing(config, ['SMS_PROVIDER_URL', 'SMS_ACCOUNT_SID', 'SMS_AUTH_TOKEN', 'SMS_FROM']);
  const push = allOrNothing(config, ['PUSH_PROVIDER_URL', 'PUSH_PROJECT_ID', 'PUSH_ACCESS_TOKEN']);
  return {
    ...(config.SMTP_URL ? { smtpUrl: config.SMTP_URL } : {}),
    emailFrom: config.EMAIL_FROM,
    ...(sms
      ? {
          sms: {
            url: sms.SMS_PROVIDER_URL,
            accountSid: sms.SMS_ACCOUNT_SID,
            authToken: sms.SMS_AUTH_TOKEN,
            from: sms.SMS_FROM,
          },
        }
      : {}),
    ...(push
      ? {
          push: {
            url: push.PUSH_PROVIDER_URL,
            projectId: push.PUSH_PROJECT_ID,
            accessToken: push.PUSH_ACCESS_TOKEN,
          },
        }
      : {}),
  };
}

function allOrNothing<K extends keyof ChannelConfig>(
  config: ChannelConfig,
  names: readonly K[],
): Record<K, string> | undefined {
  const missing = names.filter((name) => !config[name]);
  if (missing.length === names.length) return undefined;
  if (missing.length > 0)
    throw new Error(
      `${missing.join(', ')}: set with ${names.filter((name) => config[name]).join(', ')}, or unset them all`,
    );
  return Object.fromEntries(names.map((name) => [name, config[name]])) as Record<K, string>;
}

export interface ChannelSenderSet {
  email: EmailSender;
  sms?: SmsSender;
  push?: PushSender;
  /** Closes what holds connections (the SMTP pool). */
  close(): void;
}

/**
 * The senders for `settings`: SMTP when SMTP_URL is set, else `localEmail` (the file outbox of
 * packages/notify, the all-in-one default); SMS and push when their provider is configured.
 * nodemailer loads only for SMTP (~5 MB of heap the outbox does not need).
 */
export async function createChannelSenders(
  settings: ChannelSettings,
  localEmail: EmailSender,
): Promise<ChannelSenderSet> {
  const smtp = settings.smtpUrl
    ? (await import('./smtp-email-sender.ts')).createSmtpEmailSender({
        url: settings.smtpUrl,
        from: settings.emailFrom,
      })
    : undefined;
  return {
    email: smtp ?? localEmail,
    ...(settings.sms ? { sms: createTwilioSmsSender(settings.sms) } : {}),
    ...(settings.push ? { push: createFcmPushSender(settings.push) } : {}),
    close() {
      smtp?.close();
    },
  };
}
