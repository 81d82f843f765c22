import { invalidInput, isUuid } from '@clubland/errors';

/**
 * Checks that a tenant id is a UUID before it reaches SQL. The PostgreSQL adapter inlines the id
 * as a literal (to save a round trip), so this check is what keeps it from being an injection.
 */
export function assertClubId(clubId: string): string {
  if (typeof clubId !== 'string' || !isUuid(clubId)) throw invalidInput('clubId', 'clubId must be a UUID');
  return clubId.toLowerCase();
}
