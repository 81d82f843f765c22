import type { EmailMessage } from '../channels/channel.ts';
import {
  CATALOGUE_LOCALES,
  type CatalogueLocale,
  DEFAULT_LOCALE,
  LOOKUP_FALLBACKS,
} from '../domain/catalogue.ts';
import { renderEmail } from '../domain/email-layout.ts';
import { pickLocale } from '../domain/message-format.ts';
import { categoryOf } from '../domain/preference-row.ts';
import { createUnsubscribeToken, unsubscribeUrl } from '../domain/unsubscribe-token.ts';
import type { ClaimedDelivery } from '../store/delivery-queries.ts';
import type { NotificationDeps } from './deps.ts';

const OPEN: Record<string, string> = { en: 'Open Clubland', fr: 'Ouvrir Clubland' };
const HELLO: Record<string, (name: string) => string> = {
  en: (name) => `Hello ${name},`,
  fr: (name) => `Bonjour ${name},`,
};

/**
 * The email for a delivery: the notification's text (rendered in the person's locale when it was
 * written) in the club's branded layout, text and escaped HTML (domain/email-layout.ts), with a
 * button to the app and, for every category but SECURITY, a signed one-click unsubscribe link for
 * this category on email (also given to the SMTP channel for List-Unsubscribe). The message id is
 * the delivery's, so a provider receiving a retry of the same delivery can recognise it.
 */
export async function emailOf(
  delivery: ClaimedDelivery,
  to: string,
  deps: Pick<NotificationDeps, 'publicUrl' | 'clubs' | 'unsubscribe'>,
  now: Date,
): Promise<EmailMessage> {
  const locale = pickLocale(delivery.locale, CATALOGUE_LOCALES, DEFAULT_LOCALE) as CatalogueLocale;
  const brand = (await deps.clubs.brandOf(delivery.clubId)) ?? {
    clubName: LOOKUP_FALLBACKS.clubName![locale] ?? 'your club',
  };
  const category = categoryOf(delivery.category);
  const link =
    deps.unsubscribe && category && category !== 'SECURITY'
      ? unsubscribeUrl(
          deps.unsubscribe.baseUrl,
          createUnsubscribeToken(
            { userId: delivery.userId, clubId: delivery.clubId, category, channel: 'EMAIL' },
            { now, secrets: deps.unsubscribe.secrets },
          ),
        )
      : null;
  const greeting = delivery.firstName ? `${(HELLO[locale] ?? HELLO.en!)(delivery.firstName)}\n\n` : '';
  const email = renderEmail(
    {
      locale,
      title: delivery.title,
      text: `${greeting}${delivery.body}`,
      action: { label: OPEN[locale] ?? OPEN.en!, url: `${deps.publicUrl.replace(/\/$/, '')}/` },
      unsubscribeUrl: link,
    },
    brand,
  );
  return {
    messageId: delivery.id,
    to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    ...(link ? { unsubscribeUrl: link } : {}),
  };
}
