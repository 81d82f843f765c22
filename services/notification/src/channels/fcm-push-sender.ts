import type { PushSender } from './channel.ts';
import { assertAccepted, parseJson, post } from './http-delivery.ts';

export interface FcmPushSenderOptions {
  /** PUSH_PROVIDER_URL: `https://fcm.googleapis.com`, or any provider speaking the same API. */
  url: string;
  /** The Firebase project id. */
  projectId: string;
  /**
   * The OAuth 2.0 bearer token, or a function that returns a current one (FCM's tokens, minted from
   * a service account, last an hour: pass a function that refreshes them).
   */
  accessToken: string | (() => Promise<string>);
  timeoutMs?: number;
}

/**
 * The push channel over Firebase Cloud Messaging's HTTP v1 API:
 * `POST {url}/v1/projects/{project}/messages:send` with a bearer token and
 * `{ message: { token, notification: { title, body }, data } }`; the reply's `name`
 * (`projects/p/messages/0:123...`) names the message at the provider. A 404 with FCM's error code
 * UNREGISTERED means the device token is dead: not retryable, and the caller may forget the token.
 */
export function createFcmPushSender(options: FcmPushSenderOptions): PushSender {
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(options.projectId)}/messages:send`;
  const token =
    typeof options.accessToken === 'string'
      ? () => Promise.resolve(options.accessToken as string)
      : options.accessToken;
  return {
    async send(message) {
      const reply = await post('push provider', endpoint, {
        headers: {
          authorization: `Bearer ${await token()}`,
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
        },
        body: JSON.stringify({
          message: {
            token: message.deviceToken,
            notification: { title: message.title, body: message.body },
            // FCM's data values are strings only; the type says so already. Our id lets the app de-duplicate.
            data: { ...message.data, messageId: message.messageId },
          },
        }),
        timeoutMs: options.timeoutMs ?? 15_000,
      });
      // Google's errors: { error: { code, message, status, details: [{ errorCode: 'UNREGISTERED' }] } }.
      assertAccepted('push provider', reply, (body) => {
        const error = (
          body as { error?: { message?: unknown; status?: unknown; details?: unknown } } | undefined
        )?.error;
        if (typeof error?.message !== 'string') return undefined;
        const details = Array.isArray(error.details) ? (error.details as { errorCode?: unknown }[]) : [];
        const code =
          details.find((detail) => typeof detail?.errorCode === 'string')?.errorCode ?? error.status;
        return `${error.message} (${String(code)})`;
      });
      const { name } = (parseJson(reply.body) ?? {}) as { name?: unknown };
      return { providerMessageId: typeof name === 'string' ? name : null };
    },
  };
}
