/**
 * Email addresses as accounts use them. We keep the local part as typed (some providers treat it
 * case-sensitively) and lower-case the domain (DNS is case-insensitive); uniqueness is decided on
 * the lower-cased whole, in the database (users_email_unique).
 */
export const MAX_EMAIL_LENGTH = 254;

// Deliberately simpler than RFC 5322: no quoted local parts, no IP-literal domains, no comments.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export type EmailCheck = { ok: true; value: string } | { ok: false; message: string };

export function normaliseEmail(raw: string): EmailCheck {
  const email = raw.trim().normalize('NFC');
  if (email.length > MAX_EMAIL_LENGTH) {
    return { ok: false, message: `email must be at most ${MAX_EMAIL_LENGTH} characters` };
  }
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  const isValid =
    at > 0 &&
    local.length <= 64 &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    !/^[0-9]+$/.test(labels.at(-1) ?? '');
  if (!isValid) return { ok: false, message: 'email must be an address like name@example.com' };
  return { ok: true, value: `${local}@${domain}` };
}

/** The key an address is compared (and rate-limited) by. */
export function emailKey(normalised: string): string {
  return normalised.toLowerCase();
}
