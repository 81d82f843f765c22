import type { EmailMessage } from '../channels/channel.ts';
import { renderEmail } from '../domain/email-layout.ts';
import type { ClaimedDelivery } from '../store/delivery-queries.ts';

export { escapeHtml } from '../domain/html.ts';

/**
 * The email for a delivery: the club-branded layout (src/domain/email-layout.ts: everything from
 * outside escaped) with a button to the app. The message id is the delivery's, so a provider
 * receiving a retry of the same delivery can recognise it.
 */
export function emailOf(delivery: ClaimedDelivery, to: string, publicUrl: string): EmailMessage {
  const greeting = delivery.firstName ? `Hello ${delivery.firstName},\n\n` : '';
  const rendered = renderEmail(
    {
      locale: delivery.locale,
      title: delivery.title,
      text: `${greeting}${delivery.body}`,
      action: { label: 'Open Clubland', url: `${publicUrl.replace(/\/$/, '')}/` },
    },
    { clubName: delivery.clubName ?? 'Clubland' },
  );
  return { messageId: delivery.id, to, subject: rendered.subject, text: rendered.text, html: rendered.html };
}
