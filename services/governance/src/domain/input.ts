import { invalidInput } from '@clubland/errors';

/** The fields of a request as the use cases take them, each refused with BAD_USER_INPUT naming it. Pure. */

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

/** One of `values`, else BAD_USER_INPUT naming the field and the values it may take. */
export function oneOf<T extends string>(values: readonly T[], value: string, field: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw invalidInput(field, `${field} must be one of ${values.join(', ')}`);
}

/** A page as asked (0: the first page of 20): 1-100 rows, pages 1-100,000; its LIMIT and OFFSET. */
export function pageOf(page: number, pageSize: number) {
  const size = pageSize === 0 ? 20 : pageSize;
  const number = page === 0 ? 1 : page;
  if (!Number.isInteger(size) || size < 1 || size > 100)
    throw invalidInput('pageSize', 'pageSize must be 1-100');
  if (!Number.isInteger(number) || number < 1 || number > 100_000)
    throw invalidInput('page', 'page must be 1 or more');
  return { page: number, pageSize: size, limit: size, offset: (number - 1) * size };
}
