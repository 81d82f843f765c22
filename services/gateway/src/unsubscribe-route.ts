import type { NotificationService } from '@clubland/contract/notification/v1';
import { isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { FastifyInstance, FastifyReply } from 'fastify';

const PATH = '/unsubscribe';

/** Nothing loads from anywhere; the one form posts back here. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${escapeHtml(title)}</title></head><body style="font-family:Georgia,serif;max-width:32rem;margin:3rem auto">` +
        `<h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

/**
 * The unsubscribe links of notification emails, followed without signing in: the signed token in
 * the link is the authority (the notification service checks it). GET shows a page whose button
 * confirms, so a mail scanner that fetches every link unsubscribes nobody; POST unsubscribes, and
 * is also the RFC 8058 one-click request a mail client sends (`List-Unsubscribe=One-Click`, the
 * token in the URL). A forged, expired or spent link is told so and changes nothing.
 */
export async function registerUnsubscribeRoute(
  app: FastifyInstance,
  notifications: Pick<Client<typeof NotificationService>, 'unsubscribe'>,
): Promise<void> {
  // Pages for a person's browser, as the account pages are: not in /openapi.json.
  await app.register(async (scope) => {
    // Encapsulated: form bodies are accepted on this route only, never on /graphql.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, body),
    );
    scope.get<{ Querystring: { token?: string } }>(
      PATH,
      { schema: { hide: true } },
      async (request, reply) => {
        const token = request.query.token ?? '';
        return page(
          reply,
          200,
          'Stop these emails?',
          `<p>You will no longer receive emails of this kind from this club. You can turn them on again in the app's notification settings.</p>` +
            `<form method="post" action="${PATH}?token=${encodeURIComponent(token)}"><button type="submit">Unsubscribe</button></form>`,
        );
      },
    );
    scope.post<{ Querystring: { token?: string } }>(
      PATH,
      { schema: { hide: true } },
      async (request, reply) => {
        try {
          await notifications.unsubscribe({ token: request.query.token ?? '' });
        } catch (error) {
          if (isClubError(error) && error.code === 'request.invalid_input')
            return page(
              reply,
              400,
              'This link does not work',
              '<p>It may have expired. Change your notification settings in the app instead.</p>',
            );
          throw error;
        }
        return page(reply, 200, 'Unsubscribed', '<p>You will no longer receive these emails.</p>');
      },
    );
  });
}
