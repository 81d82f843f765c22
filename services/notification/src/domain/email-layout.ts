import { escapeHtml, safeColour, safeUrl, textToHtml } from './html.ts';

/**
 * The club-branded email around a rendered notification: the club's logo, name and colours in a
 * header, the message, an optional button, a footer with the unsubscribe link. Table layout with
 * inline styles, as mail clients need. Every value from outside goes through html.ts: the club's
 * name and the message escaped, URLs http(s) only, colours hex only, so a club named
 * `<script>` or a logo URL of `javascript:` shows as text or not at all.
 */

export interface ClubBranding {
  clubName: string;
  /** Header background, #rgb or #rrggbb. */
  primaryColour?: string | null;
  /** Button colour. */
  accentColour?: string | null;
  logoUrl?: string | null;
  websiteUrl?: string | null;
}

export interface EmailContent {
  /** BCP 47, for `<html lang>` and the footer's words. */
  locale: string;
  /** The subject and the heading. */
  title: string;
  /** Plain text; blank lines separate paragraphs. The text part always, the HTML body unless `safeBodyHtml`. */
  text: string;
  /**
   * The HTML body, when a club's htmlTemplate made it: only ever the output of formatRichHtml
   * (message-format.ts), which escapes everything but its few tags.
   */
  safeBodyHtml?: string | null;
  action?: { label: string; url: string } | null;
  /** The signed one-click link (unsubscribe-token.ts); absent for mandatory messages. */
  unsubscribeUrl?: string | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export const DEFAULT_PRIMARY_COLOUR = '#1f3a5f';
export const DEFAULT_ACCENT_COLOUR = '#b08d57';

const FOOTER: Record<string, { sentBy: (club: string) => string; unsubscribe: string }> = {
  en: {
    sentBy: (club) => `You receive this message as a member of ${club}, through Clubland.`,
    unsubscribe: 'Stop these messages',
  },
  fr: {
    sentBy: (club) => `Vous recevez ce message en tant que membre du club ${club}, via Clubland.`,
    unsubscribe: 'Ne plus recevoir ces messages',
  },
};

function footerFor(locale: string) {
  return FOOTER[locale.split('-')[0]!.toLowerCase()] ?? FOOTER.en!;
}

/** A subject is one line: line breaks (header injection) become spaces. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

export function renderEmail(content: EmailContent, brand: ClubBranding): RenderedEmail {
  const subject = oneLine(content.title);
  const footer = footerFor(content.locale);
  const actionUrl = safeUrl(content.action?.url);
  const unsubscribeUrl = safeUrl(content.unsubscribeUrl);

  const text = [
    subject,
    '',
    content.text.trim(),
    ...(content.action && actionUrl ? ['', `${content.action.label}: ${actionUrl}`] : []),
    '',
    '--',
    footer.sentBy(brand.clubName),
    ...(unsubscribeUrl ? [`${footer.unsubscribe}: ${unsubscribeUrl}`] : []),
    '',
  ].join('\n');

  const primary = safeColour(brand.primaryColour, DEFAULT_PRIMARY_COLOUR);
  const accent = safeColour(brand.accentColour, DEFAULT_ACCENT_COLOUR);
  const logoUrl = safeUrl(brand.logoUrl);
  const websiteUrl = safeUrl(brand.websiteUrl);
  const clubName = escapeHtml(brand.clubName);
  const clubTitle = websiteUrl
    ? `<a href="${escapeHtml(websiteUrl)}" style="color:#ffffff;text-decoration:none">${clubName}</a>`
    : clubName;
  const logo = logoUrl
    ? `<img src="${escapeHtml(logoUrl)}" alt="${clubName}" height="48" style="display:block;height:48px;border:0;margin:0 0 8px 0">`
    : '';
  const button =
    content.action && actionUrl
      ? `<p style="margin:24px 0"><a href="${escapeHtml(actionUrl)}" style="background:${accent};color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block">${escapeHtml(content.action.label)}</a></p>`
      : '';
  const unsubscribe = unsubscribeUrl
    ? `<br><a href="${escapeHtml(unsubscribeUrl)}" style="color:#666666">${escapeHtml(footer.unsubscribe)}</a>`
    : '';

  const html = `<!doctype html>
<html lang="${escapeHtml(content.locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f4;font-family:Georgia,'Times New Roman',serif;color:#222222">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f4"><tr><td align="center" style="padding:24px 8px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff">
<tr><td style="background:${primary};color:#ffffff;padding:20px 24px">${logo}<div style="font-size:20px">${clubTitle}</div></td></tr>
<tr><td style="padding:24px">
<h1 style="font-size:22px;margin:0 0 16px 0">${escapeHtml(subject)}</h1>
${content.safeBodyHtml ?? textToHtml(content.text)}
${button}
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #eeeeee;font-size:12px;color:#666666">${escapeHtml(footer.sentBy(brand.clubName))}${unsubscribe}</td></tr>
</table>
</td></tr></table>
</body>
</html>
`;
  return { subject, text, html };
}
