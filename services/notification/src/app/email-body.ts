import type { EmailMessage } from '../channels/channel.ts';
import type { ClaimedDelivery } from '../store/delivery-queries.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * The email for a delivery: text and an escaped HTML part. The plain layout until the club-branded
 * one (src/domain, issue 33's notif-domain) renders it; the message id is the delivery's, so a
 * provider receiving a retry of the same delivery can recognise it.
 */
export function emailOf(delivery: ClaimedDelivery, to: string, publicUrl: string): EmailMessage {
  const greeting = delivery.firstName ? `Hello ${delivery.firstName},\n\n` : '';
  const inbox = `${publicUrl.replace(/\/$/, '')}/`;
  return {
    messageId: delivery.id,
    to,
    subject: delivery.title,
    text: `${greeting}${delivery.body}\n\n${inbox}\n`,
    html:
      `<!doctype html><html><body>` +
      (delivery.firstName ? `<p>Hello ${escapeHtml(delivery.firstName)},</p>` : '') +
      `<h1>${escapeHtml(delivery.title)}</h1><p>${escapeHtml(delivery.body)}</p>` +
      `<p><a href="${escapeHtml(inbox)}">Open Clubland</a></p></body></html>`,
  };
}
