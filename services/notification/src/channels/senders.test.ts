import { appConfigSchema, loadConfig } from '@clubland/config';
import { describe, expect, it } from 'vitest';
import type { EmailSender } from './channel.ts';
import { channelSettingsOf, createChannelSenders } from './senders.ts';

/** As the service gets them: the environment through the shared configuration schema. */
const channelSettingsFromEnv = (env: Record<string, string>) =>
  channelSettingsOf(loadConfig(appConfigSchema, env));

const localEmail: EmailSender = { send: async () => ({ providerMessageId: null }) };

describe('channel senders by configuration', () => {
  it('keeps the local email outbox and no SMS or push when nothing is configured', async () => {
    const settings = channelSettingsFromEnv({ PATH: '/usr/bin' });
    expect(settings).toEqual({ emailFrom: 'Clubland <no-reply@clubland.invalid>' });
    const senders = await createChannelSenders(settings, localEmail);
    expect(senders.email).toBe(localEmail);
    expect(senders.sms).toBeUndefined();
    expect(senders.push).toBeUndefined();
  });

  it('uses SMTP and both providers when they are configured', async () => {
    const settings = channelSettingsFromEnv({
      SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
      EMAIL_FROM: 'The Athenaeum <no-reply@athenaeum.example>',
      SMS_PROVIDER_URL: 'https://api.twilio.com',
      SMS_ACCOUNT_SID: 'AC42',
      SMS_AUTH_TOKEN: 'secret',
      SMS_FROM: '+15005550006',
      PUSH_PROVIDER_URL: 'https://fcm.googleapis.com',
      PUSH_PROJECT_ID: 'clubland-app',
      PUSH_ACCESS_TOKEN: 'ya29.token',
    });
    expect(settings).toEqual({
      smtpUrl: 'smtps://mailer:pw@smtp.example.com:465',
      emailFrom: 'The Athenaeum <no-reply@athenaeum.example>',
      sms: { url: 'https://api.twilio.com', accountSid: 'AC42', authToken: 'secret', from: '+15005550006' },
      push: { url: 'https://fcm.googleapis.com', projectId: 'clubland-app', accessToken: 'ya29.token' },
    });
    const senders = await createChannelSenders(settings, localEmail);
    expect(senders.email).not.toBe(localEmail);
    expect(senders.sms).toBeDefined();
    expect(senders.push).toBeDefined();
    senders.close();
  });

  it('refuses half a provider, naming what is missing', () => {
    expect(() =>
      channelSettingsFromEnv({ SMS_PROVIDER_URL: 'https://api.twilio.com', SMS_ACCOUNT_SID: 'AC42' }),
    ).toThrow('SMS_AUTH_TOKEN, SMS_FROM: set with SMS_PROVIDER_URL, SMS_ACCOUNT_SID, or unset them all');
    expect(() => channelSettingsFromEnv({ PUSH_ACCESS_TOKEN: 't' })).toThrow(
      /^PUSH_PROVIDER_URL, PUSH_PROJECT_ID:/,
    );
  });

  it('refuses a URL of the wrong kind, naming the variable', () => {
    expect(() => channelSettingsFromEnv({ SMTP_URL: 'http://smtp.example.com' })).toThrow(
      /SMTP_URL must be a smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => channelSettingsFromEnv({ PUSH_PROVIDER_URL: 'fcm.googleapis.com' })).toThrow(
      /PUSH_PROVIDER_URL must be a http:\/\/ or https:\/\/ URL/,
    );
  });
});
