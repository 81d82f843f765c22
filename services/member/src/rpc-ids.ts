import { invalidInput } from '@clubland/errors';

/** An id as the member service's tables hold them (UUIDs, any version). A plain pattern rather
 *  than a schema library's validator: the RPC layer checks several ids on every call. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** `value` lower-cased, or BAD_USER_INPUT naming `field`. */
export function requireUuid(value: string, field: string): string {
  if (!UUID.test(value)) throw invalidInput(field, `${field} must be a UUID`);
  return value.toLowerCase();
}
