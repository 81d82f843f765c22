import { invalidInput } from '@clubland/errors';

/**
 * A text field as written: trimmed, `min`-`max` characters, no NUL (PostgreSQL refuses it in text:
 * it would surface as an internal error), else BAD_USER_INPUT naming the field. Pure.
 */
export function textOf(value: string, min: number, max: number, field: string): string {
  if (value.includes('\u0000')) throw invalidInput(field, `${field} must not contain NUL characters`);
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max)
    throw invalidInput(field, `${field} must be ${min}-${max} characters`);
  return trimmed;
}

/** Links to documents: https, at most 20 of at most 2,048 characters each, else BAD_USER_INPUT naming the field. */
export function attachmentsOf(links: readonly string[]): string[] {
  if (links.length > 20) throw invalidInput('attachments', 'at most 20 attachments');
  return links.map((link) => {
    if (link.length > 2048 || !URL.canParse(link) || new URL(link).protocol !== 'https:')
      throw invalidInput('attachments', 'attachments must be https links of at most 2048 characters');
    return new URL(link).toString();
  });
}
