import { invalidInput } from '@clubland/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks that a tenant id is a UUID before it reaches SQL. The PostgreSQL adapter inlines the id
 * as a literal (to save a round trip), so this check is what keeps it from being an injection.
 */
export function assertClubId(clubId: string): string {
  if (typeof clubId !== 'string' || !UUID.test(clubId)) throw invalidInput('clubId', 'clubId must be a UUID');
  return clubId.toLowerCase();
}
