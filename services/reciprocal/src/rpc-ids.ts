import { invalidInput } from '@clubland/errors';

/** An id as the reciprocal service's tables hold them (UUIDs, any version). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** `value` lower-cased, or BAD_USER_INPUT naming `field`. */
export function requireUuid(value: string, field: string): string {
  if (!UUID.test(value)) throw invalidInput(field, `${field} must be a UUID`);
  return value.toLowerCase();
}
