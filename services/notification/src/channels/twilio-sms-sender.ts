import type { SmsSender } from './channel.ts';
import { assertAccepted, parseJson, post } from './http-delivery.ts';

export interface TwilioSmsSenderOptions {
  /** SMS_PROVIDER_URL: `https://api.twilio.com`, or any provider speaking the same API. */
  url: string;
  /** The account SID: the path's account and the basic-auth user. */
  accountSid: string;
  /** The auth token (or an API key secret): the basic-auth password. */
  authToken: string;
  /** The sending number (E.164) or a messaging service SID (`MG...`). */
  from: string;
  timeoutMs?: number;
}

/**
 * The SMS channel over Twilio's Messages API: `POST {url}/2010-04-01/Accounts/{sid}/Messages.json`,
 * a form of To, From (or MessagingServiceSid) and Body, HTTP basic auth; the reply's `sid` names the
 * message at the provider. Twilio queues the message: delivery to the handset is reported later
 * (status callbacks), not here.
 */
export function createTwilioSmsSender(options: TwilioSmsSenderOptions): SmsSender {
  const endpoint = `${options.url.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  // A messaging service SID (MG + 32 hex) picks the number itself; anything else is the number.
  const senderField = /^MG[0-9a-f]{32}$/i.test(options.from) ? 'MessagingServiceSid' : 'From';
  return {
    async send(message) {
      const reply = await post('SMS provider', endpoint, {
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams([
          ['To', message.to],
          [senderField, options.from],
          ['Body', message.body],
        ]).toString(),
        timeoutMs: options.timeoutMs ?? 15_000,
      });
      // Twilio's errors: { code: 21211, message: "The 'To' number ... is not a valid phone number.", status: 400 }.
      assertAccepted('SMS provider', reply, (body) => {
        const error = body as { code?: unknown; message?: unknown } | undefined;
        return typeof error?.message === 'string' ? `${error.message} (${String(error.code)})` : undefined;
      });
      const { sid } = (parseJson(reply.body) ?? {}) as { sid?: unknown };
      return { providerMessageId: typeof sid === 'string' ? sid : null };
    },
  };
}
