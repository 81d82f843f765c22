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
 *
 * `random_page_cost` 1.1 (the server default, 4, prices a random read as on a spinning disk): with
 * it the planner prices an index read as what it is on SSD or in memory, and keeps reading a page
 * of a list in index order even when it estimates a tenant to be small. At 4, the plan PostgreSQL
 * caches for a statement shared by all clubs sorts the whole club as soon as the average club looks
 * small: for one club of 10,000 among a thousand of 5, a 20-row page went from ~0.1 ms to ~6 ms
 * (limitSql explains why pages run on the cached plan). Set here, per transaction, rather than as
 * a connection's startup option, which PgBouncer refuses and a URL's own `options` would replace.
 */
const RANDOM_PAGE_COST = '1.1';

export function appSessionSql(clubId: string | null): string {
  const tenant = clubId === null ? '' : assertClubId(clubId);
  return `SELECT set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenant}', true),
    set_config('random_page_cost', '${RANDOM_PAGE_COST}', true)`;
}
