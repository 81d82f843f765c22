import { z } from 'zod';
import type { EmailSender, PushSender, SmsSender } from './channel.ts';
import { createFcmPushSender } from './fcm-push-sender.ts';
import { createSmtpEmailSender } from './smtp-email-sender.ts';
import { createTwilioSmsSender } from './twilio-sms-sender.ts';

/**
 * Which adapter meets each channel port, by configuration only:
 *
 * | variable | meaning |
 * |---|---|
 * | SMTP_URL | `smtp://` or `smtps://` server for email; unset: the local file outbox (embedded default) |
 * | EMAIL_FROM | the From of every email (default `"Clubland" <no-reply@clubland.invalid>`) |
 * | SMS_PROVIDER_URL, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM | a Twilio-style SMS API; unset: no SMS channel |
 * | PUSH_PROVIDER_URL, PUSH_PROJECT_ID, PUSH_ACCESS_TOKEN | an FCM-style push API; unset: no push channel |
 *
 * A provider is all or nothing: half its variables is a mistake, refused at start-up with the
 * missing names, rather than a channel that silently never sends.
 */
export interface ChannelSettings {
  smtpUrl?: string;
  emailFrom: string;
  sms?: { url: string; accountSid: string; authToken: string; from: string };
  push?: { url: string; projectId: string; accessToken: string };
}

export const DEFAULT_EMAIL_FROM = '"Clubland" <no-reply@clubland.invalid>';

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();
const httpUrl = z.url({ protocol: /^https?$/ });

const envSchema = z.object({
  SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  EMAIL_FROM: optionalText,
  SMS_PROVIDER_URL: optionalText.pipe(httpUrl.optional()),
  SMS_ACCOUNT_SID: optionalText,
  SMS_AUTH_TOKEN: optionalText,
  SMS_FROM: optionalText,
  PUSH_PROVIDER_URL: optionalText.pipe(httpUrl.optional()),
  PUSH_PROJECT_ID: optionalText,
  PUSH_ACCESS_TOKEN: optionalText,
});

/** Reads and checks the channel variables; throws naming the variable that is wrong or missing. */
export function channelSettingsFromEnv(env: Record<string, string | undefined>): ChannelSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${String(issue?.path[0])}: ${issue?.message ?? 'invalid'}`);
  }
  const vars = parsed.data;
  const sms = allOrNothing(vars, ['SMS_PROVIDER_URL', 'SMS_ACCOUNT_SID', 'SMS_AUTH_TOKEN', 'SMS_FROM']);
  const push = allOrNothing(vars, ['PUSH_PROVIDER_URL', 'PUSH_PROJECT_ID', 'PUSH_ACCESS_TOKEN']);
  return {
    ...(vars.SMTP_URL ? { smtpUrl: vars.SMTP_URL } : {}),
    emailFrom: vars.EMAIL_FROM ?? DEFAULT_EMAIL_FROM,
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

function allOrNothing<K extends string>(
  vars: Partial<Record<string, string>>,
  names: readonly K[],
): Record<K, string> | undefined {
  const missing = names.filter((name) => !vars[name]);
  if (missing.length === names.length) return undefined;
  if (missing.length > 0)
    throw new Error(
      `${missing.join(', ')}: set with ${names.filter((name) => vars[name]).join(', ')}, or unset them all`,
    );
  return Object.fromEntries(names.map((name) => [name, vars[name]!])) as Record<K, string>;
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
 */
export function createChannelSenders(settings: ChannelSettings, localEmail: EmailSender): ChannelSenderSet {
  const smtp = settings.smtpUrl
    ? createSmtpEmailSender({ url: settings.smtpUrl, from: settings.emailFrom })
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
