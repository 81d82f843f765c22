import { invalidInput } from './club-error.ts';

/** An id as Clubland's tables hold them: a UUID, any version. A plain pattern rather than a schema
 *  library's validator: the RPC layers check several ids on every call. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** `value` lower-cased, or request.invalid_input naming `field` (with `message`, or "<field> must be a UUID"). */
export function requireUuid(value: string, field: string, message = `${field} must be a UUID`): string {
  if (!UUID.test(value)) throw invalidInput(field, message);
  return value.toLowerCase();
}
