import type { EmailMessage } from '../channels/channel.ts';
import { renderEmail } from '../domain/email-layout.ts';
import { MANDATORY_CATEGORIES } from '../domain/notification.ts';
import { categoryOf } from '../domain/preference-row.ts';
import { createUnsubscribeToken, unsubscribeUrl as unsubscribeUrlOf } from '../domain/unsubscribe-token.ts';
import type { ClaimedDelivery } from '../store/delivery-queries.ts';

export { escapeHtml } from '../domain/html.ts';

/**
 * The email for a delivery: the club-branded layout (src/domain/email-layout.ts: everything from
 * outside escaped) with a button to the app. The message id is the delivery's, so a provider
 * receiving a retry of the same delivery can recognise it.
 */
export function emailOf(
  delivery: ClaimedDelivery,
  to: string,
  publicUrl: string,
  unsubscribe: { secrets: readonly string[]; now: Date } | null = null,
): EmailMessage {
  const base = publicUrl.replace(/\/$/, '');
  // A link for every category a person may turn off; none for SECURITY (mandatory).
  const category = categoryOf(delivery.category);
  const unsubscribeUrl =
    unsubscribe && category && !MANDATORY_CATEGORIES.has(category)
      ? unsubscribeUrlOf(
          `${base}/unsubscribe`,
          createUnsubscribeToken(
            { userId: delivery.userId, clubId: delivery.clubId, category, channel: 'EMAIL' },
            unsubscribe,
          ),
        )
      : null;
  const greeting = delivery.firstName ? `Hello ${delivery.firstName},\n\n` : '';
  const rendered = renderEmail(
    {
      locale: delivery.locale,
      title: delivery.title,
      text: `${greeting}${delivery.body}`,
      action: { label: 'Open Clubland', url: `${base}/` },
      unsubscribeUrl,
    },
    { clubName: delivery.clubName ?? 'Clubland' },
  );
  return {
    messageId: delivery.id,
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
  };
}
