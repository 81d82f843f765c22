import type { NotificationService } from '@clubland/contract/notification/v1';
import { isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const UNSUBSCRIBE_PATH = '/notifications/unsubscribe';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const CATEGORY_WORDS: Record<string, string> = {
  ALL: 'all messages',
  ACCOUNT: 'account messages',
  MEMBERSHIP: 'membership messages',
  BOOKINGS: 'booking messages',
  EVENTS: 'event messages',
  RECIPROCAL: 'reciprocal visit and letter messages',
  CLUB_ADMIN: 'club administration messages',
  ANNOUNCEMENTS: 'club announcements',
};
const CHANNEL_WORDS: Record<string, string> = {
  EMAIL: 'email',
  SMS: 'text message',
  PUSH: 'push',
  IN_APP: 'the app',
};

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:3em auto">` +
        `<h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

function refusal(error: unknown): boolean {
  return isClubError(error) && error.code === 'request.invalid_input';
}

/**
 * The unsubscribe link of notification emails, for anyone holding it (no sign-in: the signed
 * token in the query is the authority, checked by the notification service's Unsubscribe RPC).
 * GET shows what the link does and a button; POST does it: the button's form, and RFC 8058
 * one-click (`List-Unsubscribe=One-Click` as the form body) from mail clients. A link that is not
 * valid (tampered, expired) is a 400 page and changes nothing.
 */
export function registerNotificationUnsubscribeRoute(
  app: FastifyInstance,
  notifications: Client<typeof NotificationService>,
): void {
  app.register(async (scope) => {
    // The one-click body is a form; nothing in it matters but that it came.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, body),
    );
    scope.get<{ Querystring: { token?: string } }>(UNSUBSCRIBE_PATH, async (request, reply) => {
      const token = request.query.token ?? '';
      try {
        const what = await notifications.unsubscribe({ token, apply: false });
        const category = CATEGORY_WORDS[what.category] ?? what.category.toLowerCase();
        const channel = CHANNEL_WORDS[what.channel] ?? what.channel.toLowerCase();
        return page(
          reply,
          200,
          'Unsubscribe',
          `<p>Stop receiving ${escapeHtml(category)} by ${escapeHtml(channel)}?</p>` +
            `<form method="post" action="${escapeHtml(`${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`)}">` +
            `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
            `<button type="submit">Unsubscribe</button></form>` +
            `<p>Messages about your account's security are always sent.</p>`,
        );
      } catch (error) {
        if (!refusal(error)) throw error;
        return page(
          reply,
          400,
          'This link is not valid',
          '<p>It may have expired. Change your notification preferences in the app.</p>',
        );
      }
    });
    scope.post<{ Querystring: { token?: string } }>(UNSUBSCRIBE_PATH, async (request, reply) => {
      const token = request.query.token ?? '';
      try {
        const done = await notifications.unsubscribe({ token, apply: true });
        const category = CATEGORY_WORDS[done.category] ?? done.category.toLowerCase();
        const channel = CHANNEL_WORDS[done.channel] ?? done.channel.toLowerCase();
        return page(
          reply,
          200,
          'Unsubscribed',
          `<p>You will no longer receive ${escapeHtml(category)} by ${escapeHtml(channel)}.</p>`,
        );
      } catch (error) {
        if (!refusal(error)) throw error;
        return page(reply, 400, 'This link is not valid', '<p>Nothing was changed.</p>');
      }
    });
  });
}
