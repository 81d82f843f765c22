/**
 * The number an SMS provider takes (E.164: `+`, country code, subscriber number, 8-15 digits in
 * all) from a phone as a member wrote it (`+44 20 7946 0000`, `+1 (212) 555-0100`). A number
 * without its country code (`020 7946 0000`) names no country for certain: null, and no SMS
 * goes to it rather than to a stranger abroad.
 */
export function smsNumberOf(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const trimmed = phone.trim();
  if (!trimmed.startsWith('+')) return null;
  const digits = trimmed.slice(1).replace(/[\s().\-/]/g, '');
  return /^[1-9][0-9]{7,14}$/.test(digits) ? `+${digits}` : null;
}
