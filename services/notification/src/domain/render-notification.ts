import {
  CATALOGUE_LOCALES,
  type CatalogueLocale,
  DEFAULT_LOCALE,
  defaultTemplate,
  LOOKUP_FALLBACKS,
  type TemplateKey,
} from './catalogue.ts';
import { type ClubBranding, type RenderedEmail, renderEmail } from './email-layout.ts';
import { formatMessage, formatRichHtml, type MessageValues, pickLocale } from './message-format.ts';
import type { Checked } from './refusal.ts';

/**
 * One notification, rendered once for every channel: the title and body (in-app, webhook), the
 * branded email (subject, text, HTML), the SMS text and the push title and body, in the
 * recipient's locale (en or fr; anything else reads English) and time zone.
 */

/** A club's own text for a catalogue key (a template row named after the key); absent parts keep the default. */
export interface TemplateOverride {
  title?: string | null;
  body: string;
  /** ICU with the RICH_TAGS only; the email's HTML body when present. */
  html?: string | null;
  action?: string | null;
}

export interface RenderRequest {
  templateKey: TemplateKey;
  /** The recipient's locale, e.g. 'fr-CA'; null: the default. */
  locale: string | null;
  /** The recipient's IANA zone: dates and times read in it. */
  timeZone: string;
  /** The plan's values plus the looked-up names; `clubName` comes from `brand`. */
  values: MessageValues;
  brand: ClubBranding;
  /** The club's own template for this key (checked when it was saved). */
  override?: TemplateOverride | null;
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
  const locale = localeFor(request.locale);
  const fallback = defaultTemplate(request.templateKey, locale);
  const override = request.override;
  const values: Record<string, MessageValues[string]> = {};
  for (const [name, word] of Object.entries(LOOKUP_FALLBACKS)) values[name] = word[locale];
  for (const [name, value] of Object.entries(request.values)) {
    // A blank lookup (a club without a name yet) reads as its fallback; any other value as given.
    if (value === null || value === undefined || (value === '' && name in LOOKUP_FALLBACKS)) continue;
    values[name] = value;
  }
  if (request.brand.clubName) values.clubName = request.brand.clubName;

  const options = { locale, timeZone: request.timeZone };
  const key = request.templateKey;
  const title = formatMessage(override?.title ?? fallback.title, values, {
    ...options,
    field: `${key}.title`,
  });
  if (!title.ok) return title;
  const body = formatMessage(override?.body ?? fallback.body, values, { ...options, field: `${key}.body` });
  if (!body.ok) return body;
  let html: string | null = null;
  if (override?.html) {
    const rich = formatRichHtml(override.html, values, { ...options, field: `${key}.html` });
    if (!rich.ok) return rich;
    html = rich.value;
  }
  let actionLabel: string | null = null;
  const actionSource = override?.action ?? fallback.action;
  if (actionSource && request.actionUrl) {
    const action = formatMessage(actionSource, values, { ...options, field: `${key}.action` });
    if (!action.ok) return action;
    actionLabel = action.value;
  }
  return {
    ok: true,
    value: assemble(locale, title.value, body.value, html, actionLabel, request),
  };
}

/** A club's own template (the contract's NotificationTemplate) with the sender's data. */
export interface ClubTemplateSource {
  bodyTemplate: string;
  htmlTemplate: string | null;
}

export interface ClubMessageRequest {
  locale: string | null;
  timeZone: string;
  /** The sender's title, plain text (SendNotificationInput.title). */
  title: string;
  /** The sender's body, plain text, used when there is no template. */
  body: string;
  template?: ClubTemplateSource | null;
  /** SendNotificationInput.templateData, checked by club-templates.ts. */
  values?: MessageValues;
  brand: ClubBranding;
  actionUrl?: string | null;
  unsubscribeUrl?: string | null;
}

/** An admin's message (sendNotification, sendBulkNotifications): their words, or their template. */
export function renderClubMessage(request: ClubMessageRequest): Checked<RenderedNotification> {
  const locale = localeFor(request.locale);
  const options = { locale, timeZone: request.timeZone };
  const values = { ...request.values, clubName: request.brand.clubName };
  let body = request.body;
  let html: string | null = null;
  if (request.template) {
    const text = formatMessage(request.template.bodyTemplate, values, {
      ...options,
      field: 'input.templateData',
    });
    if (!text.ok) return text;
    body = text.value;
    if (request.template.htmlTemplate) {
      const rich = formatRichHtml(request.template.htmlTemplate, values, {
        ...options,
        field: 'input.templateData',
      });
      if (!rich.ok) return rich;
      html = rich.value;
    }
  }
  const actionLabel = request.actionUrl
    ? { en: 'Open in the app', fr: 'Ouvrir dans l’application' }[locale]
    : null;
  return { ok: true, value: assemble(locale, request.title, body, html, actionLabel, request) };
}

function localeFor(wanted: string | null): CatalogueLocale {
  return pickLocale(wanted, CATALOGUE_LOCALES, DEFAULT_LOCALE) as CatalogueLocale;
}

function assemble(
  locale: CatalogueLocale,
  title: string,
  body: string,
  html: string | null,
  actionLabel: string | null,
  request: { brand: ClubBranding; actionUrl?: string | null; unsubscribeUrl?: string | null },
): RenderedNotification {
  const email = renderEmail(
    {
      locale,
      title,
      text: body,
      safeBodyHtml: html,
      action: actionLabel && request.actionUrl ? { label: actionLabel, url: request.actionUrl } : null,
      unsubscribeUrl: request.unsubscribeUrl ?? null,
    },
    request.brand,
  );
  return {
    locale,
    title: email.subject,
    body,
    email,
    sms: shorten(`${request.brand.clubName}: ${email.subject}. ${oneLine(body)}`, SMS_MAX_LENGTH),
    push: { title: email.subject, body: shorten(oneLine(body), PUSH_BODY_MAX_LENGTH) },
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
