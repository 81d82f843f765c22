import {
  CATALOGUE_LOCALES,
  type CatalogueLocale,
  DEFAULT_LOCALE,
  defaultTemplate,
  LOOKUP_FALLBACKS,
  type MessageTemplate,
  type TemplateKey,
} from './catalogue.ts';
import { type ClubBranding, type RenderedEmail, renderEmail } from './email-layout.ts';
import { formatMessage, type MessageValues, pickLocale } from './message-format.ts';
import type { Checked } from './refusal.ts';

/**
 * One notification, rendered once for every channel: the title and body (in-app, webhook), the
 * branded email (subject, text, HTML), the SMS text and the push title and body, in the
 * recipient's locale (en or fr; anything else reads English) and time zone.
 */

export interface RenderRequest {
  templateKey: TemplateKey;
  /** The recipient's locale, e.g. 'fr-CA'; null: the default. */
  locale: string | null;
  /** The recipient's IANA zone: dates and times read in it. */
  timeZone: string;
  /** The plan's values plus the looked-up names; `clubName` comes from `brand`. */
  values: MessageValues;
  brand: ClubBranding;
  /** The club's own template for this key and locale, when it has one (checked when it was saved). */
  override?: MessageTemplate | null;
  /** Where the email's button leads (the app's page for the thing); no button without it. */
  actionUrl?: string | null;
  /** The signed unsubscribe link for this category and channel; none for mandatory categories. */
  unsubscribeUrl?: string | null;
}

export interface RenderedNotification {
  locale: CatalogueLocale;
  title: string;
  body: string;
  email: RenderedEmail;
  sms: string;
  push: { title: string; body: string };
}

/** An SMS of up to three segments; a push body as lock screens show it. */
export const SMS_MAX_LENGTH = 459;
export const PUSH_BODY_MAX_LENGTH = 178;

export function renderNotification(request: RenderRequest): Checked<RenderedNotification> {
  const locale = pickLocale(request.locale, CATALOGUE_LOCALES, DEFAULT_LOCALE) as CatalogueLocale;
  const template = request.override ?? defaultTemplate(request.templateKey, locale);
  const values: Record<string, MessageValues[string]> = {};
  for (const [name, fallback] of Object.entries(LOOKUP_FALLBACKS)) values[name] = fallback[locale];
  for (const [name, value] of Object.entries(request.values)) {
    if (value !== null && value !== undefined && value !== '') values[name] = value;
  }
  if (request.brand.clubName) values.clubName = request.brand.clubName;

  const options = { locale, timeZone: request.timeZone };
  const title = formatMessage(template.title, values, { ...options, field: `${request.templateKey}.title` });
  if (!title.ok) return title;
  const body = formatMessage(template.body, values, { ...options, field: `${request.templateKey}.body` });
  if (!body.ok) return body;
  let actionLabel: string | null = null;
  if (template.action && request.actionUrl) {
    const action = formatMessage(template.action, values, {
      ...options,
      field: `${request.templateKey}.action`,
    });
    if (!action.ok) return action;
    actionLabel = action.value;
  }

  const email = renderEmail(
    {
      locale,
      title: title.value,
      text: body.value,
      action: actionLabel && request.actionUrl ? { label: actionLabel, url: request.actionUrl } : null,
      unsubscribeUrl: request.unsubscribeUrl ?? null,
    },
    request.brand,
  );
  return {
    ok: true,
    value: {
      locale,
      title: email.subject,
      body: body.value,
      email,
      sms: shorten(`${request.brand.clubName}: ${email.subject}. ${oneLine(body.value)}`, SMS_MAX_LENGTH),
      push: { title: email.subject, body: shorten(oneLine(body.value), PUSH_BODY_MAX_LENGTH) },
    },
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** At most `max` characters (code points, so no emoji is cut in half), an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
