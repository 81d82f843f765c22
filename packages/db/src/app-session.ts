import { APP_ROLE } from './db.ts';
import { assertClubId } from './tenant-id.ts';

/**
 * The statement that starts every application transaction: switch to the non-superuser role
 * (`SET LOCAL ROLE`, so row-level security applies even when we connect as a superuser) and set
 * the tenant, both only until the transaction ends. `transaction()` sets the tenant to '' on
 * purpose: nothing from an earlier use of a pooled connection can leak in.
 *
 * The tenant id is inlined as a literal so the PostgreSQL adapter can send it with BEGIN in one
 * round trip (parameters would need the extended protocol, one statement per message).
 * `assertClubId` admits only a UUID, which cannot break out of the quotes.
 */
export function appSessionSql(clubId: string | null): string {
  const tenant = clubId === null ? '' : assertClubId(clubId);
  return `SELECT set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenant}', true)`;
}
